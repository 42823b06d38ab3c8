package pekkochat.storage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import pekkochat.room.Role;
import pekkochat.room.RoomIndex;
import pekkochat.room.RoomInfo;

/** Rooms keep the {@link RoomDirectory} tables current through this. */
public final class DirectoryRoomIndex implements RoomIndex {
  private final RoomDirectory directory;

  public DirectoryRoomIndex(RoomDirectory directory) {
    this.directory = directory;
  }

  @Override
  public CompletionStage<Done> indexRoom(RoomInfo room, Map<String, Role> members) {
    RoomRecord record = new RoomRecord(room.id(), room.name(), room.visibility(), room.owner(), room.createdAt());
    return directory
        .upsertRoom(record)
        .thenCompose(v -> directory.replaceMembers(room.id(), members))
        .thenApply(v -> Done.getInstance());
  }

  @Override
  public CompletionStage<Done> indexMember(String roomId, String user, Optional<Role> role) {
    CompletionStage<Void> write =
        role.isPresent() ? directory.putMember(roomId, user, role.get()) : directory.removeMember(roomId, user);
    return write.thenApply(v -> Done.getInstance());
  }
}
