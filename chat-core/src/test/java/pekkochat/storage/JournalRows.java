package pekkochat.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Writes rows into pekko-persistence-jdbc's journal table as its plugin would. */
final class JournalRows {
  private JournalRows() {}

  static void insert(Database database, String persistenceId, long sequenceNumber)
      throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO event_journal (persistence_id, sequence_number, writer,"
                    + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
                    + " event_payload) VALUES (?, ?, 'test', 0, '', 1, '', ?)")) {
      insert.setString(1, persistenceId);
      insert.setLong(2, sequenceNumber);
      insert.setBytes(3, new byte[] {1});
      insert.executeUpdate();
    }
  }
}
