package pekkochat.testkit.room;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import pekkochat.room.Role;
import pekkochat.room.RoomIndex;
import pekkochat.room.RoomInfo;

/** A room index in memory, for tests of the room alone; the real one is tested in storage. */
public final class InMemoryRoomIndex implements RoomIndex {
  /** room id → what the room indexed */
  public final Map<String, RoomInfo> rooms = new ConcurrentHashMap<>();
  /** room id → member → role */
  public final Map<String, Map<String, Role>> members = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Done> indexRoom(RoomInfo room, Map<String, Role> roomMembers) {
    rooms.put(room.id(), room);
    members.put(room.id(), new ConcurrentHashMap<>(roomMembers));
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Done> indexMember(String roomId, String user, Optional<Role> role) {
    Map<String, Role> of = members.computeIfAbsent(roomId, r -> new ConcurrentHashMap<>());
    if (role.isPresent()) of.put(user, role.get());
    else of.remove(user);
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
