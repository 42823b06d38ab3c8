package pekkochat.testkit.room;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import pekkochat.room.Invites;
import pekkochat.room.ReadMarks;

/**
 * Read marks and invites in memory, for tests of the room alone; the real stores are tested in storage.
 * The maps are what the room stored, for assertions.
 */
public final class InMemoryRoomStores implements ReadMarks, Invites {
  /** user → read mark */
  public final Map<String, Long> marks = new ConcurrentHashMap<>();
  /** invite code hash → room id */
  public final Map<String, String> invites = new ConcurrentHashMap<>();

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
