package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.room.Role;
import pekkochat.room.Visibility;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

class RoomDirectoryTest {

  private static final RoomRecord LOBBY =
      new RoomRecord("lobby", "Lobby", Visibility.PUBLIC, "alice", 100L);
  private static final RoomRecord SECRET =
      new RoomRecord("secret", "Secret", Visibility.PRIVATE, "alice", 200L);
  private static final RoomRecord GARDEN =
      new RoomRecord("garden", "Garden", Visibility.PUBLIC, "bob", 100L);

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyoneSeesPublicRoomsAndOnlyMembersSeePrivateOnes(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory rooms = seeded(test.database());

      assertEquals(
          List.of(
              new RoomListing(GARDEN, 0, Optional.empty()),
              new RoomListing(LOBBY, 0, Optional.of(Role.OWNER)),
              new RoomListing(SECRET, 0, Optional.of(Role.OWNER))),
          await(rooms.listVisibleTo("alice")));
      assertEquals(
          List.of(
              new RoomListing(GARDEN, 0, Optional.of(Role.OWNER)),
              new RoomListing(LOBBY, 0, Optional.empty()),
              new RoomListing(SECRET, 0, Optional.of(Role.MEMBER))),
          await(rooms.listVisibleTo("bob")));
      assertEquals(
          List.of(new RoomListing(GARDEN, 0, Optional.empty()), new RoomListing(LOBBY, 0, Optional.empty())),
          await(rooms.listVisibleTo("mallory")));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void seqIsTheRoomsHighestJournalSequenceNumber(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      Database database = test.database();
      RoomDirectory rooms = seeded(database);
      for (long seq = 1; seq <= 3; seq++) JournalRows.insert(database, "Room|lobby", seq);
      JournalRows.insert(database, "Room|secret", 1);
      // other entities' rows, including one whose id starts like a room's, must not count
      JournalRows.insert(database, "Room|lobby2", 9);
      JournalRows.insert(database, "Reads|lobby", 7);

      Map<String, Long> seqs = new LinkedHashMap<>();
      for (RoomListing listing : await(rooms.listVisibleTo("alice"))) {
        seqs.put(listing.room().id(), listing.seq());
      }
      assertEquals(Map.of("garden", 0L, "lobby", 3L, "secret", 1L), seqs);
      assertEquals(3L, await(rooms.find("lobby", "bob")).orElseThrow().seq());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void findReturnsAPrivateRoomWithoutRoleToANonMember(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory rooms = seeded(test.database());
      assertEquals(
          Optional.of(new RoomListing(SECRET, 0, Optional.empty())),
          await(rooms.find("secret", "mallory")));
      assertEquals(
          Optional.of(new RoomListing(SECRET, 0, Optional.of(Role.MEMBER))),
          await(rooms.find("secret", "bob")));
      assertEquals(Optional.empty(), await(rooms.find("nowhere", "alice")));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void membershipChangesShowInListingsAndRoomsOfAUser(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory rooms = seeded(test.database());

      await(rooms.putMember("secret", "bob", Role.ADMIN));
      await(rooms.putMember("secret", "carol", Role.MEMBER));
      assertEquals(Optional.of(Role.ADMIN), await(rooms.find("secret", "bob")).orElseThrow().role());
      assertEquals(Optional.of(Role.MEMBER), await(rooms.find("secret", "carol")).orElseThrow().role());
      assertTrue(await(rooms.roomsOf("carol")).contains("secret"));

      await(rooms.removeMember("secret", "bob"));
      assertTrue(
          await(rooms.listVisibleTo("bob")).stream().noneMatch(l -> l.room().id().equals("secret")));

      await(rooms.replaceMembers("secret", Map.of("dave", Role.OWNER, "carol", Role.ADMIN)));
      assertEquals(Optional.of(Role.ADMIN), await(rooms.find("secret", "carol")).orElseThrow().role());
      assertEquals(Optional.of(Role.OWNER), await(rooms.find("secret", "dave")).orElseThrow().role());
      assertTrue(await(rooms.roomsOf("dave")).contains("secret"));
      assertTrue(!await(rooms.roomsOf("bob")).contains("secret"));
      assertEquals(Optional.empty(), await(rooms.find("secret", "alice")).orElseThrow().role());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void upsertingARoomAgainUpdatesIt(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory rooms = seeded(test.database());
      RoomRecord renamed = new RoomRecord("lobby", "Main hall", Visibility.PRIVATE, "alice", 100L);
      await(rooms.upsertRoom(renamed));

      assertEquals(renamed, await(rooms.find("lobby", "alice")).orElseThrow().room());
      assertTrue(
          await(rooms.listVisibleTo("bob")).stream().noneMatch(l -> l.room().id().equals("lobby")));
    }
  }

  private static RoomDirectory seeded(Database database) throws Exception {
    RoomDirectory rooms = new RoomDirectory(database);
    await(rooms.upsertRoom(SECRET));
    await(rooms.upsertRoom(LOBBY));
    await(rooms.upsertRoom(GARDEN));
    await(rooms.replaceMembers("lobby", Map.of("alice", Role.OWNER)));
    await(rooms.replaceMembers("secret", Map.of("alice", Role.OWNER, "bob", Role.MEMBER)));
    await(rooms.replaceMembers("garden", Map.of("bob", Role.OWNER)));
    return rooms;
  }
}
