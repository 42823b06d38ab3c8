package pekkochat.fanout;

import pekkochat.room.EncodedEvent;

/** What a node's relay hands to a subscribed connection. */
public sealed interface RoomFeed {
  /** A live timeline event of a room the connection subscribed to. */
  record Event(EncodedEvent event) implements RoomFeed {}

  /**
   * Something that is not on the timeline (typing, a read mark, presence) for the room's
   * subscribers, except the sockets of {@code exceptUser} (null: everyone). A socket writes a
   * frame with a {@code collapseKey} (null: none) only if it differs from the last one with that
   * key: a member of three of a user's rooms sees their presence change once.
   */
  record Ephemeral(String room, String json, String exceptUser, String collapseKey) implements RoomFeed {}

  /**
   * The room's actor went away while the connection was subscribed (its node died, or it
   * restarted); the connection subscribes again from the last seq it delivered.
   */
  record Lost(String room) implements RoomFeed {}
}
