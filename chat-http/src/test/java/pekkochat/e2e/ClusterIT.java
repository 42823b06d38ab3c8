package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;
import pekkochat.testkit.ws.ResilientClient;
import pekkochat.testkit.ws.WsClient;

/**
 * Three nodes joined by {@code CHAT_CLUSTER_SEEDS} into one Pekko cluster on one PostgreSQL database
 * (PROTOCOL.md §2 "Cluster"): rooms spread over the nodes, one sequence per room whichever node takes a
 * send, presence that is the cluster's, and replies between nodes that fit the wire whatever the size of
 * the events. Also the example of docs/testing.md for a multi-node test.
 */
@Timeout(400)
class ClusterIT {
    private static final Duration T = Duration.ofSeconds(15);

    // #cluster-extension
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    // #cluster-extension
    private static List<NodeProcess> cluster;
    private static ExecutorService threads;

    @BeforeAll
    static void startCluster() {
        // #start-cluster
        TestDatabase db = nodes.postgres(); // the nodes share the journal and tables
        cluster = nodes.startCluster(3, i -> NodeProcess.builder("cluster-" + i).postgres(db)
                .jvm(NodeProcess.liftedRateLimit()));
        // #start-cluster
        threads = Executors.newFixedThreadPool(50);
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aMessageSentOnOneNodeReachesAReaderOnTheOther() {
        NodeProcess first = cluster.get(0);
        NodeProcess second = cluster.get(1);
        // #across-nodes
        Rest.User alice = new Rest(first).register("alice");
        Rest.User bob = new Rest(second).register("bob");
        String room = new Rest(first).createPublicRoom(alice).path("id").asText();
        try (WsClient writer = WsClient.of(first, alice); WsClient reader = WsClient.of(second, bob)) {
            writer.join(room);
            reader.join(room);
            long seq = writer.sendAndAck(room, "across-1", "hello from the first node").path("seq").asLong();

            JsonNode message = reader.awaitMatching(
                    n -> Json.isType(n, "message") && "across-1".equals(n.path("clientId").asText()), T);
            assertEquals(seq, message.path("seq").asLong(), "one sequence for the room, whichever node");
            assertEquals("hello from the first node", message.path("text").asText());
        }
        // #across-nodes
    }

    @Test
    void roomsSpreadOverTheNodes() {
        Rest.User owner = new Rest(cluster.get(0)).register("spread");
        double[] before = cluster.stream().mapToDouble(ClusterIT::roomsAlive).toArray();
        for (int i = 0; i < 15; i++) new Rest(cluster.get(i % 3)).createPublicRoom(owner);
        for (int i = 0; i < 3; i++) {
            double started = roomsAlive(cluster.get(i)) - before[i];
            assertTrue(started >= 1, "node " + i + " hosts " + started + " of the 15 new rooms");
        }
    }

    /** A room, and the index of the node that started it. */
    record HostedRoom(String id, int host) {}

    /** Creates a public room and finds which node started it, by the nodes' live room counts. */
    static HostedRoom createHostedRoom(List<NodeProcess> cluster, Rest.User owner) {
        double[] before = cluster.stream().mapToDouble(ClusterIT::roomsAlive).toArray();
        String room = new Rest(cluster.get(0)).createPublicRoom(owner).path("id").asText();
        for (int i = 0; i < cluster.size(); i++) {
            if (roomsAlive(cluster.get(i)) > before[i]) return new HostedRoom(room, i);
        }
        throw new AssertionError("the new room runs on no node");
    }

    static double roomsAlive(NodeProcess node) {
        return Metrics.sum(Metrics.parse(new Rest(node).getPlain("/metrics").body()), "chat_rooms_alive", "");
    }

    @Test
    void fiftySocketsOverThreeNodesSeeOneGaplessSequenceThatMatchesTheAcks() throws Exception {
        Rest.User owner = new Rest(cluster.get(0)).register("owner");
        String room = new Rest(cluster.get(0)).createPublicRoom(owner).path("id").asText();
        List<ResilientClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Rest.User user = new Rest(cluster.get(i % 3)).register("s" + i);
            clients.add(new ResilientClient(cluster, user, room, i % 3, Duration.ofSeconds(5)));
        }
        List<Future<?>> sending = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            ResilientClient client = clients.get(i);
            String prefix = "c" + i + "-";
            sending.add(threads.submit(() -> {
                for (int m = 0; m < 8; m++) client.send(prefix + m, "interleaved " + prefix + m, T);
            }));
        }
        for (Future<?> f : sending) f.get(120, TimeUnit.SECONDS);

        Map<String, Long> acks = new TreeMap<>();
        clients.forEach(c -> acks.putAll(c.acked()));
        assertEquals(400, acks.size());
        // every member joined before the first send, so the newest ack is the room's head
        long until = acks.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        SortedMap<Long, String> expected = new TreeMap<>();
        acks.forEach((clientId, seq) -> expected.put(seq, clientId));
        assertEquals(400, expected.size(), "no two acks share a seq");
        for (ResilientClient c : clients) {
            c.awaitDelivered(until, T);
            assertEquals(List.of(), c.breaches(), "every socket sees the room's events in seq order, each once");
            assertEquals(expected, c.delivered(), "every socket sees the same messages at the acked seqs");
            c.close();
        }
    }

    @Test
    void presenceIsTheClustersAndEveryNodeAnswersTheSame() {
        Rest rest0 = new Rest(cluster.get(0));
        Rest.User pia = rest0.register("pia");
        Rest.User obs = rest0.register("obs");
        String room = rest0.createPublicRoom(obs).path("id").asText();
        try (WsClient observer = WsClient.of(cluster.get(2), obs)) {
            observer.join(room);
            WsClient onFirst = WsClient.of(cluster.get(0), pia);
            WsClient onSecond = WsClient.of(cluster.get(1), pia);
            onFirst.join(room); // a member now: obs hears of her changes from here on
            assertPresenceEverywhere(obs, pia, "online");

            onFirst.close();
            observer.expectNothing(n -> isPresence(n, pia, "offline"), Duration.ofSeconds(2));
            assertPresenceEverywhere(obs, pia, "online");

            long closed = System.nanoTime();
            onSecond.close();
            WsClient.Received offline = observer.awaitReceived(n -> isPresence(n, pia, "offline"), T);
            long ms = Duration.ofNanos(offline.nanos() - closed).toMillis();
            assertTrue(ms <= 1000, "offline seen on another node after " + ms + " ms, more than PROTOCOL.md's 1 s");
            assertPresenceEverywhere(obs, pia, "offline");
        }
    }

    private static boolean isPresence(JsonNode n, Rest.User user, String status) {
        return Json.isType(n, "presence") && user.name().equals(n.path("user").asText())
                && status.equals(n.path("status").asText());
    }

    /** Every node says {@code status} within a second (gossip spreads a change in a few hundred ms). */
    static void assertPresenceEverywhere(Rest.User asker, Rest.User user, String status) {
        assertPresenceEverywhere(cluster, asker, user, status);
    }

    static void assertPresenceEverywhere(List<NodeProcess> cluster, Rest.User asker, Rest.User user, String status) {
        for (NodeProcess node : cluster) {
            if (!node.isAlive()) continue;
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            String said;
            do {
                said = presenceOn(node, asker, user);
            } while (!said.equals(status) && System.nanoTime() < deadline);
            assertEquals(status, said, "presence of " + user.name() + " on " + node.name());
        }
    }

    static String presenceOn(NodeProcess node, Rest.User asker, Rest.User user) {
        return new Rest(node).get("/api/presence?users=" + user.name(), asker.token())
                .expect(200).json().path(user.name()).asText();
    }

    @Test
    void bigMessagesCatchUpWholeOnEveryNode() {
        Rest rest0 = new Rest(cluster.get(0));
        Rest.User writer = rest0.register("big");
        String room = rest0.createPublicRoom(writer).path("id").asText();
        int count = 120;
        try (WsClient w = WsClient.of(cluster.get(0), writer)) {
            w.join(room);
            for (int i = 0; i < count; i++) w.sendAndAck(room, "big-" + i, (i % 10 + "ä").repeat(2000));
        }
        for (NodeProcess node : cluster) {
            Rest.User reader = new Rest(node).register("reader");
            try (WsClient r = WsClient.of(node, reader)) {
                JsonNode joined = r.join(room, 0L);
                long head = joined.path("seq").asLong();
                assertEquals(1, joined.path("firstSeq").asLong());
                List<String> clientIds = new ArrayList<>();
                for (long seq = 1; seq <= head; seq++) {
                    JsonNode event = r.awaitMatching(n -> n.has("seq") && room.equals(n.path("room").asText())
                            && !Json.isType(n, "joined"), T);
                    assertEquals(seq, event.path("seq").asLong(), "catch-up on " + node.name() + " has no gap");
                    if (Json.isType(event, "message")) clientIds.add(event.path("clientId").asText());
                }
                assertEquals(count, clientIds.size(), "every 4,000-character message caught up on " + node.name());
            }
            assertEquals(count, ClusterTraffic.history(new Rest(node), writer, room).size(), "REST history pages on " + node.name());
        }
    }

    @Test
    void clusterSeedsWithoutASharedDatabaseRefuseToStart() {
        NodeProcess refused = NodeProcess.builder("seeds-on-h2").seeds("127.0.0.1:1").launch();
        try {
            assertEquals(78, refused.awaitExit(Duration.ofSeconds(60)), "EX_CONFIG");
            String log = refused.logTail(20);
            assertTrue(log.contains("CHAT_DB_URL") && log.contains("refusing to start"), log);
        } finally {
            refused.close();
        }
    }
}
