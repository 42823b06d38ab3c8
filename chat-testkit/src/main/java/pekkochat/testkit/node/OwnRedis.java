package pekkochat.testkit.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, on a free loopback port, that the test may stop and start again
 * on the same port: for Redis outages, which must never stop the machine's shared server. It keeps
 * nothing on disk, so a restart comes back empty, as a Redis without persistence does after a crash.
 * {@code redis-server} must be on the PATH (Debian's {@code redis-server} package; CI has it).
 */
public final class OwnRedis implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 50;

    private final int port;
    private Process server;

    private OwnRedis(int port) {
        this.port = port;
    }

    public static OwnRedis start() {
        OwnRedis redis = new OwnRedis(Ports.free());
        redis.startAgain();
        return redis;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server, as a crash would: its clients' connections are cut. */
    public void stop() {
        if (server == null) return;
        server.destroyForcibly();
        try {
            server.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    /** Starts the server again on its port, and waits until it takes connections. */
    public void startAgain() {
        try {
            server = new ProcessBuilder(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start (apt-get install -y redis-server)", e);
        }
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!listening()) {
            if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                server.destroyForcibly();
                throw new IllegalStateException("redis-server did not listen on port " + port);
            }
            NodeProcess.sleep(POLL_MILLIS);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) POLL_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
