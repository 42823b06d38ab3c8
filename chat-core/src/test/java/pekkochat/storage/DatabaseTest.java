package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

class DatabaseTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void reopeningRunsMigrationsAgainWithoutErrorAndKeepsData(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      assertTrue(await(new UserStore(test.database()).create("alice", "hash", 1L)));
      JournalRows.insert(test.database(), "Room|r1", 1);

      try (Database reopened = Database.open(test.settings())) {
        assertEquals("hash", await(new UserStore(reopened).passwordHash("alice")).orElseThrow());
        assertEquals(List.of("1", "2", "3"), appliedVersions(reopened));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void transactionIsRolledBackWhenWorkFails(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      Database database = test.database();
      var failed =
          database.inTransaction(
              connection -> {
                try (Statement insert = connection.createStatement()) {
                  insert.executeUpdate(
                      "INSERT INTO users (username, password_hash, created_at) VALUES ('bob', 'h', 1)");
                }
                throw new IllegalStateException("fails after the insert");
              });
      assertTrue(failed.toCompletableFuture().handle((ok, error) -> error != null).get());
      assertTrue(await(new UserStore(database).passwordHash("bob")).isEmpty());
    }
  }

  /** Each migration once, whatever Flyway's own bookkeeping rows (e.g. schema creation). */
  private static List<String> appliedVersions(Database database) throws Exception {
    return await(
        database.withConnection(
            connection -> {
              try (Statement select = connection.createStatement();
                  ResultSet rows =
                      select.executeQuery(
                          "SELECT \"version\" FROM \"flyway_schema_history\""
                              + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL"
                              + " ORDER BY \"installed_rank\"")) {
                List<String> versions = new ArrayList<>();
                while (rows.next()) versions.add(rows.getString(1));
                return versions;
              }
            }));
  }
}
