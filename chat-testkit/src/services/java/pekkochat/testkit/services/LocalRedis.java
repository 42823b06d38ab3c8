package pekkochat.testkit.services;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Redis tests use ({@code redis://host:port}). The machine's own when one listens at the
 * configured address; with nothing there and {@code CI} unset, a {@code redis-server} from the
 * PATH started on a free loopback port, without persistence, once per test JVM and stopped with
 * it; with no {@code redis-server} installed, the test is skipped and the skip reported. With
 * {@code CI=true}, the configured address regardless.
 *
 * <p>Address: {@code CHAT_TEST_REDIS_URL} (env) or {@code -Dchat.test.redis.url}, else
 * {@code redis://127.0.0.1:<port>} with the port from {@code -Dchat.test.redis.port} or
 * {@code CHAT_TEST_REDIS_PORT}, else 6379.
 */
public final class LocalRedis {
    private static final String DEFAULT_PORT = "6379";
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 50;
    /** Servers this JVM started, by the address they stand in for. */
    private static final Map<String, String> STARTED = new ConcurrentHashMap<>();

    private LocalRedis() {
    }

    public static String url() {
        String configured = Listening.setting("chat.test.redis.url", "CHAT_TEST_REDIS_URL", null);
        return url(configured != null ? configured
                : "redis://127.0.0.1:" + Listening.setting("chat.test.redis.port", "CHAT_TEST_REDIS_PORT", DEFAULT_PORT),
                Listening.onCi());
    }

    /** {@code configured} when a server listens there (or on CI), else one this JVM started. */
    static String url(String configured, boolean onCi) {
        URI address = URI.create(configured);
        if (onCi || Listening.on(address.getHost(), address.getPort())) return configured;
        String started = STARTED.computeIfAbsent(configured, c -> start());
        if (started.isEmpty()) {
            SkippedTests.skip("Redis", "nothing listens at " + address.getHost() + ":" + address.getPort()
                    + " and no redis-server is on the PATH", "apt-get install -y redis-server");
        }
        return started;
    }

    /** A started server's URL, or "" when none could be started (remembered: not retried per test). */
    private static String start() {
        Path binary = onPath("redis-server");
        if (binary == null) return "";
        try {
            int port = freePort();
            Process server = new ProcessBuilder(List.of(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!Listening.on("127.0.0.1", port)) {
                if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                    server.destroyForcibly();
                    System.err.println("[testkit] redis-server did not start on port " + port);
                    return "";
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
            String url = "redis://127.0.0.1:" + port;
            System.out.println("[testkit] nothing on the configured Redis address: started redis-server at " + url);
            return url;
        } catch (IOException e) {
            System.err.println("[testkit] redis-server did not start: " + e);
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
