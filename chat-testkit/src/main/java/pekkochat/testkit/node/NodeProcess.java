package pekkochat.testkit.node;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * One chat node ({@code chat-node.jar}) running as a separate JVM on free loopback ports, with its own
 * temporary data dir. Configured only through PROTOCOL.md's environment variables ({@link NodeSpec#env},
 * e.g. {@code CHAT_DB_URL}) and {@code -Dchat.x=y} overrides. Output goes to
 * {@code target/e2e-logs/<name>.log}. Every started process is also killed (SIGKILL to its pid) by a
 * shutdown hook of the test JVM, so a crashed test leaves no orphan. {@link ChatNodes} starts nodes
 * for a test or a test class and cleans up after it.
 *
 * <p>The jar is {@code -Dchat.node.jar} when set, else {@code chat-http/target/chat-node.jar} found
 * from the module dir up; the log dir is {@code -Dchat.testkit.log-dir}, else {@code target/e2e-logs}.
 */
public final class NodeProcess implements AutoCloseable {

    public static final String JWT_SECRET = "e2e-secret-0123456789-0123456789-0123456789";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** The frame types with a rate limit of their own under {@code chat.ws.rate-limit} (send's is the section's). */
    private static final List<String> LIMITED_FRAME_TYPES =
            List.of("join", "leave", "edit", "delete", "read", "typing", "presence");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final int httpPort;
    private final int clusterPort;
    /** Where the node listens: the loopback, or its TestNetwork host's address (in {@link #namespace}). */
    private final String host;
    private final String namespace;
    private final Path dataDir;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    NodeProcess(NodeSpec spec) {
        this.name = spec.name;
        this.httpPort = Ports.free();
        this.clusterPort = spec.clusterPort != 0 ? spec.clusterPort : Ports.free();
        this.host = spec.host;
        this.namespace = spec.namespace;
        this.dataDir = NodeFiles.tempDataDir(spec.name);
        this.env = new LinkedHashMap<>(spec.env);
        this.jvmOptions = List.copyOf(spec.jvmOptions);
        this.logFile = NodeFiles.logDir().resolve(spec.name + ".log");
        NodeFiles.delete(logFile); // one log per test run; restarts of this node append to it
    }

    /** A node named {@code name} (its log file): configure it, then {@link NodeSpec#start}. */
    public static NodeSpec builder(String name) {
        return new NodeSpec(name);
    }

    /** Every rate limit lifted (each frame type, registrations and failed logins), so tests can send thousands quickly. */
    public static List<String> liftedRateLimit() {
        List<String> options = new ArrayList<>(List.of("-Dchat.ws.rate-limit.burst=100000", "-Dchat.ws.rate-limit.per-second=100000"));
        for (String type : LIMITED_FRAME_TYPES) {
            options.add("-Dchat.ws.rate-limit." + type + ".burst=100000");
            options.add("-Dchat.ws.rate-limit." + type + ".per-second=100000");
        }
        // registrations per client address and failed logins per username (chat.auth.throttle)
        for (String throttle : List.of("register", "failed-login")) {
            options.add("-Dchat.auth.throttle." + throttle + ".burst=100000");
            options.add("-Dchat.auth.throttle." + throttle + ".per-second=100000");
        }
        return List.copyOf(options);
    }

    /**
     * The test's env for the log's header line, which the log scan (LogSecrets) reads too: secret
     * values masked, and a database URL without its parameters and user info, where a password may be.
     */
    private static Map<String, String> printable(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, k.contains("PASSWORD") || k.contains("SECRET") ? "***"
                : k.equals("CHAT_DB_URL") ? v.replaceAll("//[^/@]*@", "//").replaceAll("[?;].*$", "?...") : v));
        return out;
    }

    void launch() {
        List<String> cmd = new ArrayList<>();
        // ip netns exec execs the command itself, so the process is still the JVM (signals, pid)
        if (namespace != null) cmd.addAll(List.of("ip", "netns", "exec", namespace));
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(NodeFiles.jar().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(dataDir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("BALANCER_"));
        e.put("CHAT_HTTP_HOST", host);
        e.put("CHAT_HTTP_PORT", Integer.toString(httpPort));
        e.put("CHAT_CLUSTER_HOST", host);
        e.put("CHAT_CLUSTER_PORT", Integer.toString(clusterPort));
        e.put("CHAT_DATA_DIR", dataDir.toString());
        e.put("CHAT_JWT_SECRET", JWT_SECRET);
        e.putAll(env);
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "=== " + Instant.now() + " start " + name + " http=" + httpPort
                    + " cluster=" + clusterPort + " data=" + dataDir + " cmd=" + cmd + " env=" + printable(env) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = pb.start();
            LIVE.add(process);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Polls {@code GET /readyz} until 200, at most 60 s; returns how long that took. */
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
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("[e2e] node " + name + " (pid " + process.pid() + ") ready on http " + httpPort
                        + " in " + took.toMillis() + " ms");
                return took;
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

    /** Polls {@code path} until its status satisfies {@code expected}, at most {@code bound}; returns how long that took, in ms. */
    public long awaitStatus(String path, IntPredicate expected, Duration bound) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < bound.toNanos()) {
            if (expected.test(status(path))) return Duration.ofNanos(System.nanoTime() - start).toMillis();
            sleep(200);
        }
        throw new AssertionError(path + " did not turn as expected within " + bound + " (now " + status(path) + ")");
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

    /** SIGSTOP: the process stops running and its sockets stay open, as on a frozen VM or host. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs again. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " of node " + name() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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

    /**
     * Starts the process (the first time, or again after kill9 or stop, on the same data dir and ports)
     * and waits until it is ready; returns how long that took.
     */
    public Duration restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + name + " still running");
        }
        launch();
        return awaitReady();
    }

    /** The JVM's pid, for jcmd; the node must be running. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public URI uri(String path) {
        return URI.create("http://" + host + ":" + httpPort + path);
    }

    public URI wsUri(String query) {
        return URI.create("ws://" + host + ":" + httpPort + "/ws" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    public String origin() {
        return "http://" + host + ":" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** {@code <host>:<cluster port>}, as {@code CHAT_CLUSTER_SEEDS} names a seed. */
    public String clusterAddress() {
        return host + ":" + clusterPort;
    }

    /** The address the node listens on. */
    public String host() {
        return host;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String logTail(int lines) {
        return NodeFiles.tail(logFile, lines);
    }

    /** Kills the process if alive and removes its data dir; the log stays. */
    @Override
    public void close() {
        kill();
        NodeFiles.deleteTree(dataDir);
    }

    /** SIGKILL to the process if alive, waiting (bounded) for it; data dir and log stay, as for a failed test. */
    void kill() {
        if (process == null) return;
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(process);
    }

    /** Thread.sleep that fails the test when interrupted. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
