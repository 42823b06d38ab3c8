package pekkochat.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One chat node ({@code target/chat-node.jar}) running as a separate JVM on loopback ports.
 * Configured only through PROTOCOL.md's environment variables and {@code -Dchat.x=y} overrides.
 * Output goes to {@code target/e2e-logs/<name>.log}. Every started process is also killed by a
 * shutdown hook of the test JVM, so a crashed test leaves no orphan.
 */
public final class NodeProcess implements AutoCloseable {

    public static final String JWT_SECRET = "e2e-secret-0123456789-0123456789-0123456789";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final int httpPort;
    private final int clusterPort;
    private final Path dataDir;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Duration lastStartToReady;

    private NodeProcess(Builder b) {
        this.name = b.name;
        this.httpPort = freePort();
        this.clusterPort = freePort();
        try {
            this.dataDir = Files.createTempDirectory("chat-e2e-" + b.name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.env = new LinkedHashMap<>(b.env);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.logFile = moduleDir().resolve("target/e2e-logs/" + b.name + ".log");
        try {
            Files.deleteIfExists(logFile); // one log per test run; restarts of this node append to it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Rate limits lifted so that tests can send thousands of frames quickly. */
    public static List<String> liftedRateLimit() {
        return List.of("-Dchat.ws.rate-limit.burst=100000", "-Dchat.ws.rate-limit.per-second=100000");
    }

    public static final class Builder {
        private final String name;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** A {@code -Dchat.x=y} option (or any JVM option). */
        public Builder jvm(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder jvm(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** Starts the node and waits until {@code /readyz} answers 200. */
        public NodeProcess start() {
            NodeProcess node = new NodeProcess(this);
            try {
                node.launchUntilReady();
            } catch (RuntimeException | Error e) {
                node.close();
                throw e;
            }
            return node;
        }
    }

    public static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path dir = basedir != null ? Paths.get(basedir) : Paths.get("").toAbsolutePath();
        if (!Files.exists(dir.resolve("target/chat-node.jar")) && Files.exists(dir.resolve("chat-http/target/chat-node.jar"))) {
            dir = dir.resolve("chat-http");
        }
        return dir;
    }

    public static Path jar() {
        Path jar = moduleDir().resolve("target/chat-node.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("node jar not built: " + jar + " (run mvn package or verify)");
        }
        return jar;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(dataDir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("BALANCER_"));
        e.put("CHAT_HTTP_HOST", "127.0.0.1");
        e.put("CHAT_HTTP_PORT", Integer.toString(httpPort));
        e.put("CHAT_CLUSTER_HOST", "127.0.0.1");
        e.put("CHAT_CLUSTER_PORT", Integer.toString(clusterPort));
        e.put("CHAT_DATA_DIR", dataDir.toString());
        e.put("CHAT_JWT_SECRET", JWT_SECRET);
        e.putAll(env);
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " start " + name + " http=" + httpPort
                    + " cluster=" + clusterPort + " cmd=" + cmd + " env=" + env + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = pb.start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LIVE.add(process);
    }

    /** Launches the process and waits until ready. */
    private Duration launchUntilReady() {
        launch();
        return awaitReady();
    }

    /** Polls {@code GET /readyz} until 200, at most 60 s; records the start-to-ready time. */
    public Duration awaitReady() {
        long start = System.nanoTime();
        long deadline = start + READY_TIMEOUT.toNanos();
        int lastStatus = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + name + " exited with " + process.exitValue()
                        + " before it was ready; see " + logFile + "\n" + logTail(40));
            }
            lastStatus = status("/readyz");
            if (lastStatus == 200) {
                lastStartToReady = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("[e2e] node " + name + " ready on http " + httpPort + " in "
                        + lastStartToReady.toMillis() + " ms");
                return lastStartToReady;
            }
            sleep(100);
        }
        throw new AssertionError("node " + name + " not ready within " + READY_TIMEOUT + " (last /readyz "
                + lastStatus + "); see " + logFile + "\n" + logTail(40));
    }

    /** HTTP status of a GET, or -1 when the node does not answer. */
    public int status(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL, and wait for the process to be gone. */
    public void kill9() {
        if (process == null) return;
        process.destroyForcibly();
        awaitExit(EXIT_TIMEOUT);
    }

    /** SIGTERM; does not wait. */
    public void sigterm() {
        if (process != null) process.destroy();
    }

    /** SIGTERM, and wait (bounded) for the process to exit; returns its exit code. */
    public int stop() {
        sigterm();
        return awaitExit(EXIT_TIMEOUT);
    }

    /** Waits for the process to exit; fails (after killing it) if it does not within the timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node " + name + " did not exit within " + timeout + "\n" + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** Starts the node again on the same data dir and ports (after kill9 or stop) and waits until ready. */
    public Duration restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + name + " still running");
        }
        return launchUntilReady();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public URI wsUri(String query) {
        return URI.create("ws://127.0.0.1:" + httpPort + "/ws" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    public String origin() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public Duration startToReady() {
        return lastStartToReady;
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "--- last lines of " + logFile + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process (if alive) and removes its data dir. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (process != null) LIVE.remove(process);
        deleteTree(dataDir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
