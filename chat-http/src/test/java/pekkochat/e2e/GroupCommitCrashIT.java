package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Group commit under {@code kill -9} (PROTOCOL.md section 2, guarantees 1, 2 and 4): several sockets
 * pipeline sends into one room, so the room writes them in batches, and the node is killed while
 * batches are in flight. After the restart every acked send is at its acked seq, the sequence has
 * no gap, and retrying every send with its clientId stores each exactly once.
 */
@Timeout(300)
class GroupCommitCrashIT {
    private static final int SOCKETS = 4;
    private static final int SENDS_PER_SOCKET = 250;
    private static final int ACKS_BEFORE_KILL = 150;
    private static final Duration T = Duration.ofSeconds(20);
    private static final int PAGE = 200;

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void killedDuringBatchesOnEmbeddedH2() {
        assertNoAckedSendLostAndNoGap(nodes.start(NodeProcess.builder("crash-h2").jvm(NodeProcess.liftedRateLimit())));
    }

    @Test
    void killedDuringBatchesOnPostgres() {
        TestDatabase db = nodes.postgres();
        assertNoAckedSendLostAndNoGap(
            nodes.start(NodeProcess.builder("crash-pg").postgres(db).jvm(NodeProcess.liftedRateLimit())));
    }

    private static void assertNoAckedSendLostAndNoGap(NodeProcess node) {
        Rest rest = new Rest(node);
        Rest.User owner = rest.register("crash-owner");
        String room = rest.createPublicRoom(owner).path("id").asText();
        List<Rest.User> users = new ArrayList<>();
        List<WsClient> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            Rest.User user = rest.register("crash" + i);
            users.add(user);
            WsClient ws = WsClient.of(node, user);
            ws.join(room);
            sockets.add(ws);
        }
        for (int k = 0; k < SENDS_PER_SOCKET; k++) {
            for (int i = 0; i < SOCKETS; i++) sockets.get(i).send(sendFrame(room, i, k));
        }
        Map<String, Long> acked = new HashMap<>();
        // A send the room could not take in time is answered unavailable (a slow, cold node on a
        // busy machine): like any client, socket 0 sends it again with the same clientId.
        long deadline = System.nanoTime() + T.toNanos() * 3;
        while (acked.size() < ACKS_BEFORE_KILL) {
            JsonNode answer = sockets.get(0).awaitMatching(j -> Json.isType(j, "ack") || Json.isType(j, "error"), T);
            if (Json.isType(answer, "ack")) {
                acked.put(key(users.get(0), answer), answer.path("seq").asLong());
            } else {
                assertEquals("unavailable", answer.path("code").asText(), () -> "refused: " + answer);
                String ref = answer.path("ref").asText();
                sockets.get(0).send(sendFrame(room, 0, Integer.parseInt(ref.substring(ref.indexOf('-') + 1))));
            }
            assertTrue(System.nanoTime() < deadline, "no " + ACKS_BEFORE_KILL + " acks before the kill");
        }
        node.kill9(); // batches of the other sends are in flight
        for (int i = 0; i < SOCKETS; i++) {
            for (JsonNode j : sockets.get(i).drain(Duration.ofMillis(300))) {
                if (Json.isType(j, "ack")) acked.put(key(users.get(i), j), j.path("seq").asLong());
            }
            sockets.get(i).close();
        }
        assertTrue(acked.size() >= ACKS_BEFORE_KILL && acked.size() < SOCKETS * SENDS_PER_SOCKET,
            "killed mid-stream: " + acked.size() + " acks");
        node.restart();

        List<JsonNode> timeline = history(rest, owner, room);
        assertGapless(timeline);
        Map<String, Long> stored = messages(timeline);
        acked.forEach((k, seq) -> assertEquals(seq, stored.get(k), "acked send " + k + " at its acked seq"));

        for (int i = 0; i < SOCKETS; i++) {
            try (WsClient ws = WsClient.of(node, users.get(i))) {
                for (int k = 0; k < SENDS_PER_SOCKET; k++) {
                    JsonNode ack = ws.sendAndAck(room, clientId(i, k), text(i, k));
                    Long before = acked.get(users.get(i).name() + "/" + clientId(i, k));
                    if (before != null) assertEquals(before, ack.path("seq").asLong(), "a retry gets the first seq");
                }
            }
        }
        List<JsonNode> after = history(rest, owner, room);
        assertGapless(after);
        assertEquals(SOCKETS * SENDS_PER_SOCKET, messages(after).size(), "every send stored exactly once");
    }

    /** A send whose error answer names it: its ref is its clientId. */
    private static ObjectNode sendFrame(String room, int socket, int k) {
        return WsClient.sendFrame(room, clientId(socket, k), text(socket, k)).put("ref", clientId(socket, k));
    }

    private static String clientId(int socket, int k) {
        return "s" + socket + "-" + k;
    }

    private static String text(int socket, int k) {
        return "batched " + socket + "/" + k;
    }

    private static String key(Rest.User user, JsonNode ack) {
        return user.name() + "/" + ack.path("clientId").asText();
    }

    /** Every timeline event, ascending, paged backwards over REST. */
    private static List<JsonNode> history(Rest rest, Rest.User user, String room) {
        List<JsonNode> all = new ArrayList<>();
        Long before = null;
        while (true) {
            JsonNode events = rest.history(user, room, before, PAGE).expect(200).json().path("events");
            if (events.isEmpty()) return all;
            List<JsonNode> page = new ArrayList<>();
            events.forEach(page::add);
            all.addAll(0, page);
            before = page.get(0).path("seq").asLong();
            if (before <= 1) return all;
        }
    }

    private static void assertGapless(List<JsonNode> timeline) {
        for (int i = 0; i < timeline.size(); i++) {
            assertEquals(i + 1, timeline.get(i).path("seq").asLong(), "seq without gap or duplicate at " + timeline.get(i));
        }
    }

    /** user/clientId → seq of every stored message; fails on a clientId stored twice. */
    private static Map<String, Long> messages(List<JsonNode> timeline) {
        Map<String, Long> bySend = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode e : timeline) {
            if (!Json.isType(e, "message")) continue;
            String k = e.path("user").asText() + "/" + e.path("clientId").asText();
            assertTrue(seen.add(k), "stored twice: " + k);
            bySend.put(k, e.path("seq").asLong());
        }
        return bySend;
    }
}
