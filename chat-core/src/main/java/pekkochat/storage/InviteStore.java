package pekkochat.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Invite codes of rooms, shared by every node on the database; only a hash of each code is
 * stored. A use is counted by one conditional UPDATE, so two nodes cannot both take the last use.
 */
public final class InviteStore implements pekkochat.room.Invites {
  private final Database database;

  public InviteStore(Database database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Void> create(
      String codeHash, String roomId, String createdBy, long createdAt, long expiresAt, Integer maxUses) {
    return database.withConnection(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO room_invites (code_hash, room_id, created_by, created_at, expires_at, max_uses)"
              + " VALUES (?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, codeHash);
        insert.setString(2, roomId);
        insert.setString(3, createdBy);
        insert.setLong(4, createdAt);
        insert.setLong(5, expiresAt);
        if (maxUses == null) insert.setNull(6, Types.INTEGER);
        else insert.setInt(6, maxUses);
        insert.executeUpdate();
        return null;
      }
    });
  }

  /** Revokes a code of {@code roomId}; false when the room has no such live code. */
  @Override
  public CompletionStage<Boolean> revoke(String codeHash, String roomId) {
    return database.withConnection(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE room_invites SET revoked = TRUE WHERE code_hash = ? AND room_id = ? AND revoked = FALSE")) {
        update.setString(1, codeHash);
        update.setString(2, roomId);
        return update.executeUpdate() == 1;
      }
    });
  }

  /**
   * Takes one use of the code and answers its room, or empty when the code is unknown, revoked,
   * expired or used up.
   */
  public CompletionStage<Optional<String>> use(String codeHash, long now) {
    return database.withConnection(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE room_invites SET uses = uses + 1 WHERE code_hash = ? AND revoked = FALSE"
              + " AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)")) {
        update.setString(1, codeHash);
        update.setLong(2, now);
        if (update.executeUpdate() != 1) return Optional.empty();
      }
      try (PreparedStatement select =
          connection.prepareStatement("SELECT room_id FROM room_invites WHERE code_hash = ?")) {
        select.setString(1, codeHash);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /** The room of a live code (known, not revoked, not expired, not used up), without using it. */
  public CompletionStage<Optional<String>> roomOf(String codeHash, long now) {
    return database.withConnection(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT room_id FROM room_invites WHERE code_hash = ? AND revoked = FALSE"
              + " AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)")) {
        select.setString(1, codeHash);
        select.setLong(2, now);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
      }
    });
  }
}
