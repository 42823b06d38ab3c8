package pekkochat.room;

import org.apache.pekko.actor.typed.ActorRef;
import pekkochat.common.CborSerializable;

/**
 * What a room tells the nodes that subscribe to it: one subscriber per node (its relay), never one
 * per socket (DESIGN.md rule 4). A subscriber's own protocol extends this one, which is why it is
 * open, and its records are all a room sends.
 */
public interface RoomSubscriber extends CborSerializable {

  /** A durable timeline event, stamped with when the journal confirmed it. */
  record Event(EncodedEvent event) implements RoomSubscriber {}

  /**
   * Something not on the timeline (typing, a read mark) for the room's sockets, except those of
   * {@code exceptUser} (null: all).
   */
  record Ephemeral(String room, String json, String exceptUser) implements RoomSubscriber {}

  /** Sent on every join: this actor now serves the room; watch it to notice its loss. */
  record Subscribed(String room, ActorRef<RoomProtocol.Command> roomActor) implements RoomSubscriber {}

  /**
   * The room restarts after a journal failure and forgets its subscribers, as if it had stopped
   * (its actor ref stays): subscribe the sockets again from their last seq.
   */
  record Reset(String room, ActorRef<RoomProtocol.Command> roomActor) implements RoomSubscriber {}
}
