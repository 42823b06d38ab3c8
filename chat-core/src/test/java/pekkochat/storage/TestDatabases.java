package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pekkochat.testkit.services.LocalPostgres;
import pekkochat.testkit.services.SkippedTests;

/**
 * Real databases for storage tests: an embedded H2 file in a temp directory, or a fresh,
 * uniquely named PostgreSQL database that is dropped on close, so parallel runs never meet.
 * The server is {@link LocalPostgres}'s (the machine's own, or an embedded one when nothing
 * listens); one that refuses skips the test, reported at the end of the run, except on CI
 * ({@code CI=true}) where it fails: CI must test what production runs.
 */
public final class TestDatabases {

  private static final String PG_ADMIN_USER = LocalPostgres.USER;
  private static final int POOL_SIZE = 4;
  private static final long AWAIT_SECONDS = 30;

  private TestDatabases() {}

  /** The storage backends every store is tested against. */
  public enum Backend {
    H2,
    POSTGRES;

    public TestDatabase create(Path tempDir) {
      return this == H2 ? h2(tempDir) : postgres();
    }
  }

  /** An actor system configuration whose journal and snapshots go to {@code settings}' database. */
  public static Config journalConfig(DatabaseSettings settings) {
    return settings
        .journalConnectionConfig()
        .withFallback(
            ConfigFactory.parseString(
                """
                pekko.persistence.journal.plugin = "jdbc-journal"
                pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                jdbc-journal.use-shared-db = "slick"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                pekko-persistence-jdbc.shared-databases.slick.db {
                  numThreads = 2, maxConnections = 2, minConnections = 1
                }
                """))
        .withFallback(ConfigFactory.load());
  }

  public static TestDatabase h2(Path dir) {
    DatabaseSettings settings = DatabaseSettings.resolve("", "", "", dir, POOL_SIZE);
    return new TestDatabase(settings, () -> {});
  }

  public static TestDatabase postgres() {
    String adminUrl = LocalPostgres.adminUrl();
    String name = "chat_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection admin = DriverManager.getConnection(adminUrl, PG_ADMIN_USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException unreachable) {
      String why = "PostgreSQL at " + adminUrl + " is not usable: " + unreachable.getMessage();
      if ("true".equals(System.getenv("CI"))) fail(why, unreachable);
      SkippedTests.skip("PostgreSQL", why, "give user postgres trust access on that server, or point CHAT_TEST_PG_URL at one");
    }
    DatabaseSettings settings =
        DatabaseSettings.resolve(withDatabase(adminUrl, name), PG_ADMIN_USER, "", null, POOL_SIZE);
    return new TestDatabase(settings, () -> drop(adminUrl, name));
  }

  /** Waits for a store call, bounded so a hung database fails the test instead of the build. */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  private static void drop(String adminUrl, String name) throws SQLException {
    try (Connection admin = DriverManager.getConnection(adminUrl, PG_ADMIN_USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** Cleanup that may fail with SQL. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws SQLException;
  }

  /** A migrated, open database for one test; closing it closes the pool and drops the data. */
  public static final class TestDatabase implements AutoCloseable {
    private final DatabaseSettings settings;
    private final Database database;
    private final Cleanup cleanup;

    TestDatabase(DatabaseSettings settings, Cleanup cleanup) {
      this.settings = settings;
      this.cleanup = cleanup;
      try {
        this.database = Database.open(settings);
      } catch (RuntimeException e) {
        runCleanup();
        throw e;
      }
    }

    public DatabaseSettings settings() {
      return settings;
    }

    public Database database() {
      return database;
    }

    @Override
    public void close() {
      database.close();
      runCleanup();
    }

    private void runCleanup() {
      try {
        cleanup.run();
      } catch (SQLException e) {
        throw new IllegalStateException("could not drop the test database", e);
      }
    }
  }
}
