package pekkochat.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The pool for the chat tables (users, rooms read model, tickets), migrated by Flyway on open.
 * Every JDBC call runs on {@link #executor()}, one thread per pooled connection, so a slow
 * database blocks only these threads and never an actor or HTTP thread.
 */
public final class Database implements AutoCloseable {

  /**
   * Calls queued per connection before new ones fail fast: past that the database is far behind
   * and an {@code unavailable} answer beats an ever-growing backlog.
   */
  private static final int QUEUED_CALLS_PER_CONNECTION = 256;

  private final DatabaseSettings settings;
  private final HikariDataSource dataSource;
  private final BlockingExecutor executor;

  private Database(DatabaseSettings settings, HikariDataSource dataSource, BlockingExecutor executor) {
    this.settings = settings;
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /** Opens the pool and brings the schema up to date; migrations already applied are skipped. */
  public static Database open(DatabaseSettings settings) {
    return open(settings, null);
  }

  /**
   * As {@link #open(DatabaseSettings)}, a call waiting at most {@code connectionTimeout} for a
   * connection (null: HikariCP's 30 s): during a database outage a call then fails in that time
   * instead of holding its thread and caller for half a minute.
   */
  public static Database open(DatabaseSettings settings, java.time.Duration connectionTimeout) {
    HikariConfig config = new HikariConfig();
    if (connectionTimeout != null) config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setPoolName("chat-db");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setDriverClassName(settings.driverClass());
    config.setMaximumPoolSize(settings.poolSize());
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(settings.migrationLocations())
          .load()
          .migrate();
    } catch (RuntimeException migrationFailed) {
      dataSource.close();
      throw migrationFailed;
    }
    BlockingExecutor executor =
        BlockingExecutor.create(
            "chat-db", settings.poolSize(), settings.poolSize() * QUEUED_CALLS_PER_CONNECTION);
    return new Database(settings, dataSource, executor);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /** The bounded pool on which JDBC calls run. */
  public Executor executor() {
    return executor;
  }

  /** Runs {@code work} on a connection in auto-commit mode. */
  public <T> CompletionStage<T> withConnection(SqlWork<T> work) {
    return executor.supply(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
          } catch (SQLException e) {
            throw new StorageException("database call failed", e);
          }
        });
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
   * The pool restores auto-commit when the connection is returned.
   */
  public <T> CompletionStage<T> inTransaction(SqlWork<T> work) {
    return withConnection(
        connection -> {
          connection.setAutoCommit(false);
          try {
            T result = work.apply(connection);
            connection.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              connection.rollback();
            } catch (SQLException rollbackFailed) {
              e.addSuppressed(rollbackFailed);
            }
            throw e;
          }
        });
  }

  @Override
  public void close() {
    executor.close();
    dataSource.close();
  }
}
