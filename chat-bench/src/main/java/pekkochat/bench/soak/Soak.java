package pekkochat.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import pekkochat.bench.load.Jcmd;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.Ports;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;

/**
 * Issue 13's soak: a three-node cluster on a fresh PostgreSQL database under mixed traffic for
 * {@code --minutes} (30): in each of {@code --rooms} rooms two senders that retry with the same
 * clientId and two readers that reconnect from their last seq (the e2e tests' ClusterTraffic), and
 * {@code --churners} users whose sockets live for a few frames each (join, send, edit, delete,
 * typing, read, presence). Every {@code --restart-every} one of nodes 1 and 2 restarts, by SIGTERM
 * and by kill -9 in turn; node 0 never does, so its heap after a full GC, read every {@code
 * --heap-every}, spans the whole run. At the end: every acked message stored once, no socket saw a
 * gap. JSON lines on stdout (and in {@code --out}); exit 1 when a check fails. Run from the
 * repository root after {@code mvn -B package -DskipTests}, alone:
 *
 * <pre>java -cp chat-bench/target/chat-bench.jar pekkochat.bench.soak.Soak --minutes 30 --out /tmp/soak.jsonl</pre>
 */
public final class Soak {
    private static final Map<String, String> DEFAULTS = Map.of(
            "minutes", "30", "rooms", "3", "churners", "4", "restart-every", "300", "heap-every", "60",
            "churn-pause-ms", "500", "out", "");
    private static final int NODES = 3;

    private final Map<String, String> options;
    private final long startNanos = System.nanoTime();

    private Soak(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!DEFAULTS.containsKey(name)) throw new IllegalArgumentException("unknown flag --" + name + "; flags: " + DEFAULTS.keySet());
            options.put(name, args[i + 1]);
        }
        System.exit(new Soak(options).run() ? 0 : 1);
    }

    private int integer(String name) {
        return Integer.parseInt(options.get(name));
    }

    private boolean run() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            List<NodeProcess> cluster = startCluster(db);
            try {
                return soak(cluster);
            } finally {
                cluster.forEach(NodeProcess::close);
            }
        }
    }

    private List<NodeProcess> startCluster(TestDatabase db) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < NODES; i++) ports.add(Ports.free());
        String seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        List<NodeProcess> cluster = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            cluster.add(NodeProcess.builder("soak-" + i).postgres(db).seeds(seeds).clusterPort(ports.get(i))
                    .jvm(NodeProcess.liftedRateLimit()).start());
        }
        return cluster;
    }

    private boolean soak(List<NodeProcess> cluster) throws Exception {
        Rest.User owner = new Rest(cluster.get(0)).register("soak-owner");
        List<String> rooms = new ArrayList<>();
        List<ClusterTraffic> traffic = new ArrayList<>();
        for (int r = 0; r < integer("rooms"); r++) {
            String room = new Rest(cluster.get(r % NODES)).createPublicRoom(owner).path("id").asText();
            rooms.add(room);
            ClusterTraffic t = new ClusterTraffic(cluster, owner, room);
            t.sender("soak-s" + r + "a", r % NODES);
            t.sender("soak-s" + r + "b", (r + 1) % NODES);
            t.reader("soak-r" + r + "a", (r + 2) % NODES);
            t.reader("soak-r" + r + "b", r % NODES);
            traffic.add(t);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService churnThreads = Executors.newCachedThreadPool();
        List<Churn> churners = new ArrayList<>();
        for (int c = 0; c < integer("churners"); c++) {
            Churn churn = new Churn(cluster, rooms, new Rest(cluster.get(c % NODES)).register("soak-churn"));
            churners.add(churn);
            churnThreads.submit(() -> churn.run(stop::get, Duration.ofMillis(integer("churn-pause-ms"))));
        }
        traffic.forEach(ClusterTraffic::start);

        Duration length = Duration.ofMinutes(integer("minutes"));
        long restartEveryS = integer("restart-every");
        long heapEveryS = integer("heap-every");
        long nextRestart = restartEveryS;
        long nextHeap = heapEveryS;
        int restarts = 0;
        List<Long> nodeZeroHeapKb = new ArrayList<>();
        while (elapsedSeconds() < length.toSeconds()) {
            NodeProcess.sleep(1_000);
            long now = elapsedSeconds();
            if (now >= nextHeap) {
                nextHeap += heapEveryS;
                for (int i = 0; i < NODES; i++) {
                    NodeProcess node = cluster.get(i);
                    if (!node.isAlive()) continue;
                    long kb = new Jcmd(node.pid()).liveHeapKb();
                    if (i == 0) nodeZeroHeapKb.add(kb);
                    emit(Map.of("kind", "heap", "t_s", now, "node", node.name(), "live_heap_kb", kb));
                }
            }
            if (now >= nextRestart) {
                nextRestart += restartEveryS;
                NodeProcess node = cluster.get(1 + restarts % (NODES - 1));
                boolean kill = restarts % 2 == 1;
                if (kill) node.kill9();
                else node.stop();
                Duration back = node.restart();
                restarts++;
                emit(Map.of("kind", "restart", "t_s", now, "node", node.name(), "how", kill ? "kill -9" : "SIGTERM",
                        "ready_after_ms", back.toMillis()));
            }
        }
        stop.set(true);
        churnThreads.shutdown();
        churnThreads.awaitTermination(60, TimeUnit.SECONDS);
        boolean passed = true;
        long acked = 0;
        for (int r = 0; r < traffic.size(); r++) {
            ClusterTraffic t = traffic.get(r);
            t.stop();
            acked += t.acked().size();
            String verdict;
            try {
                t.assertNothingLostNorDuplicated();
                verdict = "nothing lost, stored once, no gap on any socket";
            } catch (AssertionError e) {
                verdict = "FAILED: " + e.getMessage();
                passed = false;
            }
            emit(Map.of("kind", "room", "room", rooms.get(r), "acked", t.acked().size(), "reconnects", t.reconnects(),
                    "longest_ack_gap_ms", t.longestAckGap().toMillis(), "verdict", verdict));
            t.close();
        }
        Map<String, Long> churn = new TreeMap<>();
        churners.forEach(c -> c.outcomes().forEach((k, v) -> churn.merge(k, v.get(), Long::sum)));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("kind", "summary");
        summary.put("minutes", length.toMinutes());
        summary.put("acked", acked);
        summary.put("restarts", restarts);
        summary.put("node0_live_heap_kb", nodeZeroHeapKb);
        summary.put("churn", churn);
        summary.put("passed", passed);
        emit(summary);
        return passed;
    }

    private long elapsedSeconds() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    }

    private void emit(Map<String, ?> line) throws IOException {
        String json = Json.write(Json.MAPPER.valueToTree(line));
        System.out.println(json);
        if (!options.get("out").isEmpty()) {
            Files.writeString(Path.of(options.get("out")), json + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
