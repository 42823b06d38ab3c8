package pekkochat.room;

import pekkochat.common.CborSerializable;

/**
 * A timeline event as its wire text, made once where the event was made and shared by every
 * socket that receives it (DESIGN.md rule 3). {@code revokes} names the user whose membership
 * this event ends (left or removed), so their sockets stop at this event; null for every other
 * event. {@code persistedAtNanos} is epoch nanoseconds of the journal's confirmation on a live
 * delivery, for the delivery-latency metric, and 0 in catch-up and history: the event handler
 * stays pure, and the room stamps a live copy once per event after its write.
 */
public record EncodedEvent(String room, long seq, long persistedAtNanos, String json, String revokes)
    implements CborSerializable {

  static EncodedEvent unstamped(String room, long seq, String json, String revokes) {
    return new EncodedEvent(room, seq, 0, json, revokes);
  }

  EncodedEvent persistedAt(long epochNanos) {
    return new EncodedEvent(room, seq, epochNanos, json, revokes);
  }
}
