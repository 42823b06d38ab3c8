package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

class UserStoreTest {

  private static final int RACERS = 8;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void takenNameIsRefusedAndTheFirstHashKept(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      UserStore users = new UserStore(test.database());
      assertTrue(await(users.create("alice", "first-hash", 1L)));
      assertFalse(await(users.create("alice", "second-hash", 2L)));
      assertEquals(Optional.of("first-hash"), await(users.passwordHash("alice")));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void unknownUserHasNoHash(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      UserStore users = new UserStore(test.database());
      assertTrue(await(users.create("alice", "h", 1L)));
      assertEquals(Optional.empty(), await(users.passwordHash("bob")));
      assertEquals(Optional.empty(), await(users.passwordHash("Alice")));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void concurrentRegistrationsOfOneNameHaveOneWinner(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      UserStore users = new UserStore(test.database());
      List<CompletionStage<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) attempts.add(users.create("carol", "hash-" + i, i));
      int winners = 0;
      for (CompletionStage<Boolean> attempt : attempts) if (await(attempt)) winners++;
      assertEquals(1, winners);
    }
  }
}
