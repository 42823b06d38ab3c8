package pekkochat.fanout;

import pekkochat.CborSerializable;

/**
 * A timeline event as its wire text, made once where the event was made and shared by every
 * socket that receives it (DESIGN.md rule 3). {@code persistedAtNanos} is epoch nanoseconds of
 * the journal's confirmation, for the delivery-latency metric. {@code revokes} names the user
 * whose membership this event ends (left or removed), so their sockets stop at this event; null
 * for every other event.
 */
public record EncodedEvent(String room, long seq, long persistedAtNanos, String json, String revokes)
    implements CborSerializable {}
