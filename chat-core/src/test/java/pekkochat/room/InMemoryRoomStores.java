package pekkochat.room;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Read marks and invites in memory, for tests of the room alone; the real stores are tested in storage. */
final class InMemoryRoomStores implements ReadMarks, Invites {
  final Map<String, Long> marks = new ConcurrentHashMap<>();
  final Map<String, String> invites = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Map<String, Long>> marks(String roomId) {
    return CompletableFuture.completedFuture(Map.copyOf(marks));
  }

  @Override
  public CompletionStage<Void> advance(String roomId, String user, long seq) {
    marks.merge(user, seq, Math::max);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> create(
      String codeHash, String roomId, String createdBy, long createdAt, long expiresAt, Integer maxUses) {
    invites.put(codeHash, roomId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> revoke(String codeHash, String roomId) {
    return CompletableFuture.completedFuture(invites.remove(codeHash) != null);
  }
}
