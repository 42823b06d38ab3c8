package pekkochat.testkit.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import pekkochat.testkit.services.LocalPostgres;
import pekkochat.testkit.services.SkippedTests;

/**
 * A fresh PostgreSQL database {@code chat_e2e_<random>} on the local server (user postgres, trust auth),
 * dropped on close. The server is {@link LocalPostgres}'s: the machine's own, or an embedded one when
 * nothing listens and {@code CI} is unset. A server that refuses: the test fails when env
 * {@code CI=true}, else it is skipped, and the skip is reported at the end of the run.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String USER = LocalPostgres.USER;

    private final String adminUrl;
    private final String name;

    private TestDatabase(String adminUrl, String name) {
        this.adminUrl = adminUrl;
        this.name = name;
    }

    public static TestDatabase create() {
        String adminUrl = LocalPostgres.adminUrl();
        String name = "chat_e2e_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        try (Connection c = DriverManager.getConnection(adminUrl, USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("PostgreSQL at " + adminUrl + " is unreachable and CI=true: " + e);
            }
            SkippedTests.skip("PostgreSQL", "PostgreSQL at " + adminUrl + " refused a new database: " + e,
                    "give user postgres trust access on that server, or point CHAT_TEST_PG_URL at one");
        }
        return new TestDatabase(adminUrl, name);
    }

    /** JDBC URL of the new database, for {@code CHAT_DB_URL}. */
    public String url() {
        int slash = adminUrl.lastIndexOf('/');
        String rest = adminUrl.substring(slash + 1);
        int q = rest.indexOf('?');
        return adminUrl.substring(0, slash + 1) + name + (q >= 0 ? rest.substring(q) : "");
    }

    /** The server's address, e.g. for a {@link TcpRelay} to it. */
    public InetSocketAddress server() {
        URI address = URI.create(url().substring("jdbc:".length()));
        return new InetSocketAddress(address.getHost(), address.getPort());
    }

    /** {@link #url()} through another address, e.g. a {@link TcpRelay}'s. */
    public String urlVia(String host, int port) {
        InetSocketAddress server = server();
        return url().replaceFirst("//" + java.util.regex.Pattern.quote(server.getHostString() + ":" + server.getPort()),
                "//" + host + ":" + port);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(adminUrl, USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("[e2e] could not drop database " + name + ": " + e);
        }
    }
}
