package pekkochat.room;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import pekkochat.common.CborSerializable;

/**
 * What a room persists. Every one is a timeline event, so the journal's sequence number of
 * the room's persistence id is the room's {@code seq} (DESIGN.md rule 7).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RoomEvent.RoomCreated.class, name = "created"),
  @JsonSubTypes.Type(value = RoomEvent.MessagePosted.class, name = "message"),
  @JsonSubTypes.Type(value = RoomEvent.MessageEdited.class, name = "edited"),
  @JsonSubTypes.Type(value = RoomEvent.MessageDeleted.class, name = "deleted"),
  @JsonSubTypes.Type(value = RoomEvent.MemberChanged.class, name = "member"),
})
public sealed interface RoomEvent extends CborSerializable {
  /** Who did it. */
  String user();

  /** When it was accepted, epoch milliseconds. */
  long ts();

  /** The room came to be; clients see it as its owner joining with role {@code owner}. */
  record RoomCreated(String user, String name, Visibility visibility, long ts) implements RoomEvent {}

  record MessagePosted(String user, String clientId, String text, long ts) implements RoomEvent {}

  record MessageEdited(String user, long target, String text, long ts) implements RoomEvent {}

  record MessageDeleted(String user, long target, long ts) implements RoomEvent {}

  /** A membership change of {@code target}; {@code role} is the role after it, null when gone. */
  record MemberChanged(String user, String target, MemberAction action, Role role, long ts)
      implements RoomEvent {}

  enum MemberAction {
    JOINED, LEFT, REMOVED, ROLE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
