package pekkochat.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Registered users and their password hashes; the hash is computed by the caller. */
public final class UserStore {

  private final Database database;

  public UserStore(Database database) {
    this.database = database;
  }

  /**
   * Adds a user; {@code false} when the name is taken. The primary key decides, so two nodes
   * registering one name at once cannot both win.
   */
  public CompletionStage<Boolean> create(String username, String passwordHash, long createdAt) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, username);
            insert.setString(2, passwordHash);
            insert.setLong(3, createdAt);
            insert.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (SqlStates.isUniqueViolation(e)) return false;
            throw e;
          }
        });
  }

  public CompletionStage<Optional<String>> passwordHash(String username) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT password_hash FROM users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }
}
