package pekkochat.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import pekkochat.testkit.node.TestDatabase;

/**
 * What the journal's rows say about who wrote a room: each row names its writer (one id per room
 * incarnation, so per node that ran it) and has a global order. The cluster fault tests read them
 * to show that a node that lost its rooms wrote nothing more.
 */
final class JournalRows {
    private final TestDatabase db;

    JournalRows(TestDatabase db) {
        this.db = db;
    }

    /** The writer of each of the room's events, in the order they were stored. */
    List<String> writersInOrder(String room) throws SQLException {
        List<String> writers = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT writer FROM event_journal WHERE persistence_id = ? ORDER BY ordering")) {
            s.setString(1, "Room|" + room);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) writers.add(r.getString(1));
            }
        }
        return writers;
    }

    /** The order of the last row stored so far. */
    long lastOrdering() throws SQLException {
        try (Connection c = connect();
                ResultSet r = c.createStatement().executeQuery("SELECT coalesce(max(ordering), 0) FROM event_journal")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Rows stored after {@code ordering} by any of {@code writers}. */
    long rowsAfter(long ordering, List<String> writers) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM event_journal WHERE ordering > ? AND writer = ANY (?)")) {
            s.setLong(1, ordering);
            s.setArray(2, c.createArrayOf("varchar", writers.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** How long the room went without a writer: from the first writer's last event to the next writer's first. */
    String handover(String room) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT writer, min(write_timestamp), max(write_timestamp)"
                        + " FROM event_journal WHERE persistence_id = ? GROUP BY writer ORDER BY min(ordering)")) {
            s.setString(1, "Room|" + room);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return "no events";
                long lastOfFirst = r.getLong(3);
                if (!r.next()) return "one writer";
                return "handover: " + (r.getLong(2) - lastOfFirst) + " ms from the first writer's last event to the next one's first";
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.url(), TestDatabase.USER, "");
    }
}
