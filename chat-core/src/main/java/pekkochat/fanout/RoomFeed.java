package pekkochat.fanout;

/** What a node's relay hands to a subscribed connection. */
public sealed interface RoomFeed {
  /** A live event of a room the connection subscribed to. */
  record Event(EncodedEvent event) implements RoomFeed {}

  /**
   * The room's actor went away while the connection was subscribed (its node died, or it
   * restarted); the connection subscribes again from the last seq it delivered.
   */
  record Lost(String room) implements RoomFeed {}
}
