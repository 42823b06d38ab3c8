package pekkochat.room;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.apache.pekko.util.ByteString;
import pekkochat.common.CborSerializable;

/**
 * A timeline event as its wire text, made once where the event was made and shared by every
 * socket that receives it (DESIGN.md rule 3). {@code utf8} is that text's UTF-8 bytes, also made
 * once: every socket writes these same bytes. They are not serialized; a node that receives the
 * event from another makes them once, on arrival. {@code revokes} names the user whose membership
 * this event ends (left or removed), so their sockets stop at this event; null for every other
 * event. {@code persistedAtNanos} is epoch nanoseconds of the journal's confirmation on a live
 * delivery, for the delivery-latency metric, and 0 in catch-up and history: the event handler
 * stays pure, and the room stamps a live copy once per event after its write.
 */
public record EncodedEvent(
    String room, long seq, long persistedAtNanos, String json, String revokes, @JsonIgnore ByteString utf8)
    implements CborSerializable {

  @JsonCreator
  public EncodedEvent(
      @JsonProperty("room") String room,
      @JsonProperty("seq") long seq,
      @JsonProperty("persistedAtNanos") long persistedAtNanos,
      @JsonProperty("json") String json,
      @JsonProperty("revokes") String revokes) {
    this(room, seq, persistedAtNanos, json, revokes, ByteString.fromString(json));
  }

  static EncodedEvent unstamped(String room, long seq, String json, String revokes) {
    return new EncodedEvent(room, seq, 0, json, revokes);
  }

  /** The same event and bytes, stamped: no second encoding. */
  EncodedEvent persistedAt(long epochNanos) {
    return new EncodedEvent(room, seq, epochNanos, json, revokes, utf8);
  }

  // the bytes follow from the text: equality is the text's
  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedEvent e && seq == e.seq && persistedAtNanos == e.persistedAtNanos
        && room.equals(e.room) && json.equals(e.json) && Objects.equals(revokes, e.revokes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(room, seq, json);
  }
}
