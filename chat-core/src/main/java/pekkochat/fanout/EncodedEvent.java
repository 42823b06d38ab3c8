package pekkochat.fanout;

import pekkochat.CborSerializable;

/**
 * A timeline event as its wire text, made once where the event was made and shared by every
 * socket that receives it (DESIGN.md rule 3). {@code persistedAtNanos} is epoch nanoseconds of
 * the journal's confirmation, for the delivery-latency metric.
 */
public record EncodedEvent(String room, long seq, long persistedAtNanos, String json)
    implements CborSerializable {}
