package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

class RoomLifeStoresTest {
  private static final long NOW = 1_000_000L;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void readMarksOnlyMoveForward(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      ReadMarkStore marks = new ReadMarkStore(test.database());
      await(marks.advance("r1", "alice", 5));
      await(marks.advance("r1", "alice", 3));
      await(marks.advance("r1", "bob", 7));
      await(marks.advance("r2", "alice", 9));
      assertEquals(Map.of("alice", 5L, "bob", 7L), await(marks.marks("r1")));
      await(marks.advance("r1", "alice", 6));
      assertEquals(6L, await(marks.marks("r1")).get("alice"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void invitesCountUsesExpireAndRevoke(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      InviteStore invites = new InviteStore(test.database());
      await(invites.create("twice", "r1", "alice", NOW, NOW + 1000, 2));
      assertEquals(Optional.of("r1"), await(invites.use("twice", NOW)));
      assertEquals(Optional.of("r1"), await(invites.use("twice", NOW)));
      assertEquals(Optional.empty(), await(invites.use("twice", NOW)), "used up");

      await(invites.create("brief", "r1", "alice", NOW, NOW + 1000, null));
      assertEquals(Optional.of("r1"), await(invites.use("brief", NOW + 999)));
      assertEquals(Optional.empty(), await(invites.use("brief", NOW + 1000)), "expired");

      await(invites.create("revocable", "r1", "alice", NOW, NOW + 1000, null));
      assertFalse(await(invites.revoke("revocable", "another-room")), "a room revokes only its own codes");
      assertTrue(await(invites.revoke("revocable", "r1")));
      assertFalse(await(invites.revoke("revocable", "r1")));
      assertEquals(Optional.empty(), await(invites.use("revocable", NOW)), "revoked");
      assertEquals(Optional.empty(), await(invites.use("unknown", NOW)));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theLastUseIsTakenOnceUnderRacingAccepts(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      InviteStore invites = new InviteStore(test.database());
      await(invites.create("once", "r1", "alice", NOW, NOW + 1000, 1));
      List<CompletableFuture<Optional<String>>> racing = IntStream.range(0, 8)
          .mapToObj(i -> invites.use("once", NOW).toCompletableFuture()).toList();
      long winners = 0;
      for (var attempt : racing) if (await(attempt).isPresent()) winners++;
      assertEquals(1, winners);
    }
  }
}
