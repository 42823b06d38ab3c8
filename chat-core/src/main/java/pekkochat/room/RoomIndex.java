package pekkochat.room;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The read model of rooms and their members that room listings use, so that a listing never
 * asks every RoomActor. Only rooms write it; a room rewrites its entry whenever it recovers, which
 * heals an entry a crash left behind.
 */
public interface RoomIndex {
  /** Upsert the room and replace its members. */
  CompletionStage<Done> indexRoom(RoomInfo room, Map<String, Role> members);

  /** Set or (with an empty role) remove one member. */
  CompletionStage<Done> indexMember(String roomId, String user, Optional<Role> role);
}
