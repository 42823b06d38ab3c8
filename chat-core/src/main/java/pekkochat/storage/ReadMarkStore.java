package pekkochat.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Each member's read mark per room. A mark only moves forward. */
public final class ReadMarkStore implements pekkochat.room.ReadMarks {
  private final Database database;

  public ReadMarkStore(Database database) {
    this.database = database;
  }

  /** Every mark of the room, by user. */
  @Override
  public CompletionStage<Map<String, Long>> marks(String roomId) {
    return database.withConnection(connection -> {
      try (PreparedStatement select =
          connection.prepareStatement("SELECT username, seq FROM read_marks WHERE room_id = ?")) {
        select.setString(1, roomId);
        Map<String, Long> marks = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) marks.put(rows.getString(1), rows.getLong(2));
        }
        return marks;
      }
    });
  }

  /** Moves the mark to {@code seq} unless it is already there or further. */
  @Override
  public CompletionStage<Void> advance(String roomId, String username, long seq) {
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE read_marks SET seq = ? WHERE room_id = ? AND username = ? AND seq < ?")) {
        update.setLong(1, seq);
        update.setString(2, roomId);
        update.setString(3, username);
        update.setLong(4, seq);
        if (update.executeUpdate() == 1) return null;
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO read_marks (room_id, username, seq) SELECT ?, ?, ? WHERE NOT EXISTS"
              + " (SELECT 1 FROM read_marks WHERE room_id = ? AND username = ?)")) {
        insert.setString(1, roomId);
        insert.setString(2, username);
        insert.setLong(3, seq);
        insert.setString(4, roomId);
        insert.setString(5, username);
        insert.executeUpdate();
        return null;
      }
    });
  }
}
