package pekkochat.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keeps two nodes that would each be a room's writer off one PostgreSQL database. A node alone
 * (neither cluster seeds nor Redis) takes the database's writer lock exclusively; a node of a
 * cluster or of a Redis bridge, which elects one writer per room with its peers, takes it shared.
 * So a second lone node, or a lone node beside a cluster, refuses to start instead of forking
 * rooms' sequences. PostgreSQL session-level advisory lock, on a connection of its own held until
 * the process ends: a node that dies releases it with its connection. An embedded H2 file needs
 * none: H2 locks the file to one process.
 */
public final class WriterLock implements AutoCloseable {
  /** The advisory lock's key: one per database, the same in every version of the node. */
  static final long LOCK_KEY = 0x70656b6b6f636874L; // "pekkocht"

  /** How this node writes: alone, or electing one writer per room with other nodes. */
  public enum Mode { ALONE, ELECTED }

  private final Connection connection;

  private WriterLock(Connection connection) {
    this.connection = connection;
  }

  /**
   * Takes the lock for {@code mode}, or throws {@link Taken} when nodes of the other kind (or
   * another lone node) hold it. No lock, and null, for an embedded database.
   */
  public static WriterLock take(DatabaseSettings settings, Mode mode) {
    if (!settings.isPostgres()) return null;
    try {
      Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
      String call = mode == Mode.ALONE ? "select pg_try_advisory_lock(?)" : "select pg_try_advisory_lock_shared(?)";
      try (PreparedStatement statement = connection.prepareStatement(call)) {
        statement.setLong(1, LOCK_KEY);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          if (!result.getBoolean(1)) {
            connection.close();
            throw new Taken(mode);
          }
        }
      }
      return new WriterLock(connection);
    } catch (SQLException e) {
      throw new StorageException("cannot take the database's writer lock", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the session ends either way, and the lock with it
    }
  }

  /** Another node writes to this database in a way that cannot be safe beside this one. */
  public static final class Taken extends RuntimeException {
    Taken(Mode mode) {
      super(mode == Mode.ALONE
          ? "another chat node already uses this PostgreSQL database. Two nodes without CHAT_CLUSTER_SEEDS or "
              + "CHAT_REDIS_URL would both write the same rooms and fork their sequences. Join them into one "
              + "cluster (CHAT_CLUSTER_SEEDS), bridge them (CHAT_REDIS_URL on every node), or give this node its "
              + "own database."
          : "a chat node running alone (neither CHAT_CLUSTER_SEEDS nor CHAT_REDIS_URL) already uses this "
              + "PostgreSQL database and writes every room itself. Stop it, or restart it with the same "
              + "CHAT_CLUSTER_SEEDS or CHAT_REDIS_URL as this node.");
    }
  }
}
