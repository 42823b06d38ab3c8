package pekkochat.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pekkochat.room.Role;
import pekkochat.room.RoomActor;
import pekkochat.room.Visibility;

/**
 * The rooms read model behind {@code GET /api/rooms}: rooms and their members, written by each
 * room's RoomActor after its events are persisted. A room's head {@code seq} is not copied here:
 * it is read from the journal itself, so it is never behind an acknowledged message.
 *
 * <p>The pool may run two calls that are in flight at once in either order: a writer that needs
 * an order (put, then remove) waits for one stage before starting the next.
 */
public final class RoomDirectory {

  /** The persistence id of a room with an empty id: the prefix of every room's. */
  private static final String ROOM_PERSISTENCE_PREFIX = RoomActor.persistenceId("").id();

  private static final String LISTING_SELECT =
      "SELECT r.id, r.name, r.visibility, r.owner, r.created_at, m.role,"
          + " COALESCE((SELECT MAX(j.sequence_number) FROM event_journal j"
          + "   WHERE j.persistence_id = '" + ROOM_PERSISTENCE_PREFIX + "' || r.id), 0) AS seq"
          + " FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.username = ?";

  private final Database database;
  private final String upsertRoomSql;
  private final String upsertMemberSql;

  public RoomDirectory(Database database) {
    this.database = database;
    if (database.settings().isPostgres()) {
      upsertRoomSql =
          "INSERT INTO rooms (id, name, visibility, owner, created_at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
              + " visibility = EXCLUDED.visibility, owner = EXCLUDED.owner,"
              + " created_at = EXCLUDED.created_at";
      upsertMemberSql =
          "INSERT INTO room_members (room_id, username, role) VALUES (?, ?, ?)"
              + " ON CONFLICT (room_id, username) DO UPDATE SET role = EXCLUDED.role";
    } else {
      upsertRoomSql =
          "MERGE INTO rooms (id, name, visibility, owner, created_at) KEY (id) VALUES (?, ?, ?, ?, ?)";
      upsertMemberSql =
          "MERGE INTO room_members (room_id, username, role) KEY (room_id, username) VALUES (?, ?, ?)";
    }
  }

  public CompletionStage<Void> upsertRoom(RoomRecord room) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement upsert = connection.prepareStatement(upsertRoomSql)) {
            upsert.setString(1, room.id());
            upsert.setString(2, room.name());
            upsert.setString(3, room.visibility().wireName());
            upsert.setString(4, room.owner());
            upsert.setLong(5, room.createdAt());
            upsert.executeUpdate();
            return null;
          }
        });
  }

  /** Makes the room's members exactly {@code members}, in one transaction. */
  public CompletionStage<Void> replaceMembers(String roomId, Map<String, Role> members) {
    return database.inTransaction(
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM room_members WHERE room_id = ?")) {
            delete.setString(1, roomId);
            delete.executeUpdate();
          }
          try (PreparedStatement upsert = connection.prepareStatement(upsertMemberSql)) {
            for (Map.Entry<String, Role> member : members.entrySet()) {
              upsert.setString(1, roomId);
              upsert.setString(2, member.getKey());
              upsert.setString(3, member.getValue().wireName());
              upsert.addBatch();
            }
            upsert.executeBatch();
          }
          return null;
        });
  }

  /** Adds a member or changes its role. */
  public CompletionStage<Void> putMember(String roomId, String username, Role role) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement upsert = connection.prepareStatement(upsertMemberSql)) {
            upsert.setString(1, roomId);
            upsert.setString(2, username);
            upsert.setString(3, role.wireName());
            upsert.executeUpdate();
            return null;
          }
        });
  }

  public CompletionStage<Void> removeMember(String roomId, String username) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM room_members WHERE room_id = ? AND username = ?")) {
            delete.setString(1, roomId);
            delete.setString(2, username);
            delete.executeUpdate();
            return null;
          }
        });
  }

  /**
   * Every public room and every private room {@code username} is a member of, oldest first, each
   * with the user's role and the room's head.
   */
  public CompletionStage<List<RoomListing>> listVisibleTo(String username) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  LISTING_SELECT
                      + " WHERE r.visibility = ? OR m.username IS NOT NULL"
                      + " ORDER BY r.created_at, r.id")) {
            select.setString(1, username);
            select.setString(2, Visibility.PUBLIC.wireName());
            return List.copyOf(readListings(select));
          }
        });
  }

  /**
   * The room with {@code username}'s role, whatever its visibility: the caller decides whether a
   * non-member may see it (403 versus 404).
   */
  public CompletionStage<Optional<RoomListing>> find(String roomId, String username) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(LISTING_SELECT + " WHERE r.id = ?")) {
            select.setString(1, username);
            select.setString(2, roomId);
            return readListings(select).stream().findFirst();
          }
        });
  }

  /** The ids of the rooms {@code username} is a member of: where their presence is shown. */
  /** Every member of a room with their role, in no set order: for a room too big for one reply. */
  public CompletionStage<List<RoomActor.MemberView>> membersOf(String roomId) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT username, role FROM room_members WHERE room_id = ?")) {
            select.setString(1, roomId);
            List<RoomActor.MemberView> members = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                String user = rows.getString(1);
                Role.fromWire(rows.getString(2)).ifPresent(role -> members.add(new RoomActor.MemberView(user, role)));
              }
            }
            return members;
          }
        });
  }

  public CompletionStage<List<String>> roomsOf(String username) {
    return database.withConnection(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT room_id FROM room_members WHERE username = ?")) {
            select.setString(1, username);
            List<String> rooms = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) rooms.add(rows.getString(1));
            }
            return rooms;
          }
        });
  }

  private static List<RoomListing> readListings(PreparedStatement select) throws SQLException {
    List<RoomListing> listings = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        RoomRecord room =
            new RoomRecord(
                rows.getString("id"),
                rows.getString("name"),
                Visibility.fromWire(rows.getString("visibility"))
                    .orElseThrow(() -> new IllegalStateException("unknown stored visibility")),
                rows.getString("owner"),
                rows.getLong("created_at"));
        String role = rows.getString("role");
        listings.add(
            new RoomListing(
                room,
                rows.getLong("seq"),
                role == null ? Optional.empty() : Optional.of(storedRole(role))));
      }
    }
    return listings;
  }

  private static Role storedRole(String role) {
    return Role.fromWire(role).orElseThrow(() -> new IllegalStateException("unknown stored role"));
  }
}
