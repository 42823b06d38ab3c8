package pekkochat.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One-time WebSocket tickets, shared by every node on the database. Only a hash of each ticket is
 * stored, so a leaked table grants nothing. Times are epoch milliseconds.
 */
public final class TicketStore {

  private final Database database;
  private final long purgeIntervalMillis;
  /** When this node last deleted expired tickets; -1 = never. */
  private final AtomicLong lastPurge = new AtomicLong(-1);

  /** Expired tickets are deleted by {@link #issue} at most once per {@code purgeInterval}. */
  public TicketStore(Database database, Duration purgeInterval) {
    this.database = database;
    this.purgeIntervalMillis = purgeInterval.toMillis();
  }

  public CompletionStage<Void> issue(
      String ticketHash, String username, long expiresAt, long credentialExpiresAt) {
    long now = System.currentTimeMillis();
    long previous = lastPurge.get();
    boolean purge =
        (previous < 0 || now - previous >= purgeIntervalMillis)
            && lastPurge.compareAndSet(previous, now);
    return database.withConnection(
        connection -> {
          if (purge) deleteExpired(connection, now);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO ws_tickets (ticket_hash, username, expires_at, credential_expires_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, ticketHash);
            insert.setString(2, username);
            insert.setLong(3, expiresAt);
            insert.setLong(4, credentialExpiresAt);
            insert.executeUpdate();
            return null;
          }
        });
  }

  /**
   * Uses the ticket up. Whoever deletes the row wins, so of two nodes redeeming one ticket at once
   * only one gets the grant. An expired ticket is deleted and refused.
   */
  public CompletionStage<Optional<TicketGrant>> redeem(String ticketHash, long now) {
    return database.withConnection(
        connection -> {
          long expiresAt;
          TicketGrant grant;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT username, expires_at, credential_expires_at FROM ws_tickets"
                      + " WHERE ticket_hash = ?")) {
            select.setString(1, ticketHash);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) return Optional.empty();
              expiresAt = rows.getLong(2);
              grant = new TicketGrant(rows.getString(1), rows.getLong(3));
            }
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM ws_tickets WHERE ticket_hash = ?")) {
            delete.setString(1, ticketHash);
            boolean deletedByUs = delete.executeUpdate() == 1;
            return deletedByUs && now < expiresAt ? Optional.of(grant) : Optional.empty();
          }
        });
  }

  private static void deleteExpired(Connection connection, long now) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM ws_tickets WHERE expires_at <= ?")) {
      delete.setLong(1, now);
      delete.executeUpdate();
    }
  }
}
