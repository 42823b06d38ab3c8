package pekkochat.room;

import java.util.concurrent.CompletionStage;

/** Where a room keeps its invite codes (as hashes); using a code is the HTTP layer's business. */
public interface Invites {
  CompletionStage<Void> create(
      String codeHash, String roomId, String createdBy, long createdAt, long expiresAt, Integer maxUses);

  /** False when the room has no such live code. */
  CompletionStage<Boolean> revoke(String codeHash, String roomId);
}
