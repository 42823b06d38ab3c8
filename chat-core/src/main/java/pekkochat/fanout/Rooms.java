package pekkochat.fanout;

import org.apache.pekko.actor.typed.RecipientRef;
import pekkochat.room.RoomActor;

/** Finds a room's actor by id: its sharded entity ref in a node, a probe in a test. */
@FunctionalInterface
public interface Rooms {
  RecipientRef<RoomActor.Command> room(String roomId);
}
