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
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;
import pekkochat.testkit.ws.ResilientClient;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 10, acceptance 1, 4 and 5: two nodes that are not one Pekko cluster, sharing PostgreSQL and
 * Redis (PROTOCOL.md §2 "Bridged"). Messages go both ways; interleaved sends from sockets on both
 * nodes form one gapless sequence, the same on every socket and over REST; presence on one node is
 * seen from the other within a second; and a node alone beside another on one database refuses
 * to start.
 */
@Timeout(300)
class BridgedIT {
    private static final Duration T = Duration.ofSeconds(15);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static List<NodeProcess> bridged;
    private static ExecutorService threads;

    @BeforeAll
    static void startBridgedNodes() {
        TestDatabase db = nodes.postgres();
        String redis = nodes.redis();
        String namespace = ChatNodes.redisNamespace();
        bridged = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            bridged.add(nodes.start(NodeProcess.builder("bridged-" + i).postgres(db).bridged(redis, namespace)
                    .jvm(NodeProcess.liftedRateLimit())));
        }
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void messagesGoBothWaysBetweenBridgedNodes() {
        NodeProcess a = bridged.get(0);
        NodeProcess b = bridged.get(1);
        Rest.User alice = new Rest(a).register("alice");
        Rest.User bob = new Rest(b).register("bob");
        String room = new Rest(a).createPublicRoom(alice).path("id").asText();
        try (WsClient onA = WsClient.of(a, alice); WsClient onB = WsClient.of(b, bob)) {
            onA.join(room);
            onB.join(room);
            long first = onA.sendAndAck(room, "a-1", "from A").path("seq").asLong();
            JsonNode seenOnB = onB.awaitMatching(n -> Json.isType(n, "message") && "a-1".equals(n.path("clientId").asText()), T);
            assertEquals(first, seenOnB.path("seq").asLong());

            long second = onB.sendAndAck(room, "b-1", "from B").path("seq").asLong();
            assertEquals(first + 1, second, "one sequence for the room, whichever node took the send");
            JsonNode seenOnA = onA.awaitMatching(n -> Json.isType(n, "message") && "b-1".equals(n.path("clientId").asText()), T);
            assertEquals(second, seenOnA.path("seq").asLong());
            assertEquals("from B", seenOnA.path("text").asText());
        }
    }

    @Test
    void interleavedSendsFromBothNodesFormOneGaplessSequenceEverywhere() throws Exception {
        Rest.User owner = new Rest(bridged.get(1)).register("owner");
        String room = new Rest(bridged.get(1)).createPublicRoom(owner).path("id").asText();
        List<ResilientClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int node = i % 2; // two sockets per node
            Rest.User user = new Rest(bridged.get(node)).register("s" + i);
            clients.add(new ResilientClient(List.of(bridged.get(node)), user, room, 0, Duration.ofSeconds(5)));
        }
        List<Future<?>> sending = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            ResilientClient client = clients.get(i);
            String prefix = "c" + i + "-";
            sending.add(threads.submit(() -> {
                for (int m = 0; m < 25; m++) client.send(prefix + m, "interleaved " + prefix + m, T);
            }));
        }
        for (Future<?> f : sending) f.get(120, TimeUnit.SECONDS);

        Map<String, Long> acks = new TreeMap<>();
        clients.forEach(c -> acks.putAll(c.acked()));
        assertEquals(100, acks.size());
        SortedMap<Long, String> expected = new TreeMap<>();
        acks.forEach((clientId, seq) -> expected.put(seq, clientId));
        assertEquals(100, expected.size(), "no two acks share a seq");
        long until = expected.lastKey();
        assertEquals(until - 99, (long) expected.firstKey(), "the 100 sends took 100 consecutive seqs");
        for (ResilientClient c : clients) {
            c.awaitDelivered(until, T);
            assertEquals(List.of(), c.breaches(), "every socket sees the room's events in seq order, each once");
            assertEquals(expected, c.delivered().tailMap(expected.firstKey()), "every socket sees the same messages at the acked seqs");
            c.close();
        }
        for (NodeProcess node : bridged) {
            SortedMap<Long, String> history = ClusterTraffic.history(new Rest(node), owner, room);
            assertEquals(expected, history, "REST on " + node.name() + " shows the same sequence");
        }
    }

    @Test
    void presenceOnOneNodeIsSeenFromTheOtherWithinOneSecond() {
        NodeProcess a = bridged.get(0);
        NodeProcess b = bridged.get(1);
        Rest.User pia = new Rest(a).register("pia");
        Rest.User obs = new Rest(b).register("obs");
        String room = new Rest(b).createPublicRoom(obs).path("id").asText();
        try (WsClient first = WsClient.of(a, pia)) {
            first.join(room); // a member now: the room's members hear of her from here on
        }
        assertPresenceOn(b, obs, pia, "offline");
        try (WsClient observer = WsClient.of(b, obs)) {
            observer.join(room);
            long sent = System.nanoTime();
            WsClient onA = WsClient.of(a, pia);
            try {
                seenWithinOneSecond(observer, pia, "online", sent);
                assertPresenceOn(b, obs, pia, "online");

                sent = System.nanoTime();
                onA.send(RoomLife.presenceFrame("away"));
                seenWithinOneSecond(observer, pia, "away", sent);
                assertPresenceOn(b, obs, pia, "away");

                sent = System.nanoTime();
                onA.close(); // her last socket
                seenWithinOneSecond(observer, pia, "offline", sent);
                assertPresenceOn(b, obs, pia, "offline");
            } finally {
                onA.close();
            }
        }
    }

    private static void seenWithinOneSecond(WsClient observer, Rest.User user, String status, long sentNanos) {
        WsClient.Received r = observer.awaitReceived(n -> Json.isType(n, "presence")
                && user.name().equals(n.path("user").asText()) && status.equals(n.path("status").asText()), T);
        long ms = Duration.ofNanos(r.nanos() - sentNanos).toMillis();
        assertTrue(ms <= 1000, user.name() + " " + status + " seen on the other node after " + ms + " ms, more than 1 s");
    }

    /** {@code /api/presence} on {@code node} says {@code status} within a second. */
    static void assertPresenceOn(NodeProcess node, Rest.User asker, Rest.User user, String status) {
        ClusterIT.assertPresenceEverywhere(List.of(node), asker, user, status);
    }

    @Test
    void aSecondLoneNodeOnTheSameDatabaseRefusesToStart() {
        TestDatabase db = nodes.postgres();
        NodeProcess first = nodes.start(NodeProcess.builder("lone-first").postgres(db));
        NodeProcess second = NodeProcess.builder("lone-second").postgres(db).launch();
        try {
            int exit = second.awaitExit(Duration.ofSeconds(60));
            assertEquals(78, exit, "the second node refuses its configuration (EX_CONFIG)");
            assertTrue(second.logTail(50).contains("another chat node already uses this PostgreSQL database"),
                    "and says why:\n" + second.logTail(20));
            assertEquals(200, first.status("/readyz"), "the first node keeps serving");
        } finally {
            second.close();
        }
    }
}
