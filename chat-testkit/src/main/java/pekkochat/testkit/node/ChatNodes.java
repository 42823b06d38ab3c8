package pekkochat.testkit.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit 5 extension that starts chat node processes for a test and cleans up after it: every node
 * it started is killed (by pid) and its temporary data dir removed; a PostgreSQL database it made is
 * dropped. When the test failed, the node's log and data dir are kept and their paths printed; else
 * the log is deleted too, unless {@code -Dchat.testkit.keep-logs=true}. Before either, the whole log
 * is scanned for the passwords, tokens, tickets and invite codes the tests used ({@link LogSecrets}):
 * a log that holds one is kept and fails the test (or the class, for a class's nodes).
 *
 * <p>Register it as a {@code static} field ({@code @RegisterExtension static final ChatNodes nodes =
 * new ChatNodes();}): nodes started in {@code @BeforeAll} live for the class, nodes started in a test or
 * in {@code @BeforeEach} for that test. As an instance field it serves tests only.
 */
public final class ChatNodes implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** Something this extension cleans up; {@code failed} says whether to keep what explains a failure. */
    private interface Resource {
        void release(boolean failed);
    }

    private final Deque<Resource> classScope = new ArrayDeque<>();
    /** Log lines of this extension's nodes that held a secret of the tests (LogSecrets): each fails the test. */
    private final List<String> leaks = new ArrayList<>();
    private final Deque<Resource> testScope = new ArrayDeque<>();
    private boolean inTest;
    private boolean anyTestFailed;

    /** Starts a node (waits until ready); it is cleaned up with the test or class that started it. */
    public NodeProcess start(NodeSpec spec) {
        NodeProcess node = spec.start();
        scope().push(failed -> release(node, failed));
        return node;
    }

    /**
     * Starts {@code size} nodes as one Pekko cluster, one after the other. Their cluster ports are
     * chosen up front and every node's {@code CHAT_CLUSTER_SEEDS} names them all, as an operator
     * would set it: a restarted first seed then joins the others instead of forming a cluster of its
     * own. They share nothing else, so give them a shared journal (e.g. {@link NodeSpec#postgres}).
     */
    public List<NodeProcess> startCluster(int size, IntFunction<NodeSpec> spec) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) ports.add(Ports.free());
        String seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) nodes.add(start(spec.apply(i).seeds(seeds).clusterPort(ports.get(i))));
        return nodes;
    }

    /**
     * A fresh PostgreSQL database, dropped after the nodes that use it are gone: on the machine's server,
     * or an embedded one when none listens (with {@code CI=true} a missing server fails), see {@link TestDatabase}.
     */
    public TestDatabase postgres() {
        TestDatabase db = TestDatabase.create();
        scope().push(failed -> db.close());
        return db;
    }

    /**
     * The Redis server of the tests ({@code redis://host:port}): the machine's, or one started for
     * this JVM when none listens (with {@code CI=true} a missing server fails), see {@code LocalRedis}.
     */
    public String redis() {
        return pekkochat.testkit.services.LocalRedis.url();
    }

    /** A Redis namespace no other test run uses. */
    public static String redisNamespace() {
        return "test-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private Deque<Resource> scope() {
        return inTest ? testScope : classScope;
    }

    /** Stops the node, then scans its whole log for the tests' secrets before it is kept or deleted. */
    private void release(NodeProcess node, boolean failed) {
        if (failed) {
            node.kill();
            leaks.addAll(LogSecrets.findIn(node.logFile()));
            System.out.println("[testkit] kept for the failed test: node " + node.name() + " log " + node.logFile()
                    + ", data " + node.dataDir() + "\n" + node.logTail(30));
            return;
        }
        node.close();
        List<String> found = LogSecrets.findIn(node.logFile());
        leaks.addAll(found);
        if (!found.isEmpty()) {
            System.out.println("[testkit] kept the log that holds a secret: " + node.logFile());
        } else if (!Boolean.getBoolean("chat.testkit.keep-logs")) {
            NodeFiles.delete(node.logFile());
        }
    }

    /** Fails the test or class whose nodes logged a secret (after every node of it was released). */
    private void failOnLeaks() {
        if (leaks.isEmpty()) return;
        List<String> found = List.copyOf(leaks);
        leaks.clear();
        throw new AssertionError("a node logged a secret of the test (PROTOCOL.md: none may be logged): " + found);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean failed = failed(context);
        anyTestFailed |= failed;
        releaseAll(testScope, failed);
        inTest = false;
        failOnLeaks();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        releaseAll(classScope, anyTestFailed || failed(context));
        failOnLeaks();
    }

    /** A skipped test (an assumption did not hold) has nothing to explain. */
    private static boolean failed(ExtensionContext context) {
        return context.getExecutionException().filter(e -> !(e instanceof TestAbortedException)).isPresent();
    }

    /** Newest first, so nodes go before the database they use; one failing release stops no other. */
    private static void releaseAll(Deque<Resource> resources, boolean failed) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().release(failed);
            } catch (RuntimeException e) {
                System.err.println("[testkit] cleanup failed: " + e);
            }
        }
    }
}
