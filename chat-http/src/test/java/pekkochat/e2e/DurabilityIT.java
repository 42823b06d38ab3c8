package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * PROTOCOL.md §2 guarantee 2: an acknowledged message is never lost, here by {@code kill -9} right after
 * the last ack; the sequence and the dedup of retried sends continue after the restart. On embedded H2
 * (the default) and on PostgreSQL.
 */
@Timeout(240)
class DurabilityIT {
    private static final int MESSAGES = 300;
    private static final Duration T = Duration.ofSeconds(15);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void ackedMessagesSurviveKill9OnEmbeddedH2() {
        NodeProcess node = nodes.start(NodeProcess.builder("durability-h2").jvm(NodeProcess.liftedRateLimit()));
        assertAckedMessagesSurviveKill9(node);
    }

    @Test
    void ackedMessagesSurviveKill9OnPostgres() {
        // #per-test-postgres
        TestDatabase db = nodes.postgres(); // the machine's PostgreSQL, else an embedded one (with CI=true: the machine's, or the test fails)
        NodeProcess node = nodes.start(NodeProcess.builder("durability-pg").postgres(db).jvm(NodeProcess.liftedRateLimit()));
        // #per-test-postgres
        assertAckedMessagesSurviveKill9(node);
    }

    private static void assertAckedMessagesSurviveKill9(NodeProcess node) {
        Rest rest = new Rest(node);
        Rest.User owner = rest.register("durable");
        String room = rest.createPublicRoom(owner).path("id").asText();
        Map<Long, String> clientIdBySeq = new HashMap<>();
        Map<String, Long> seqByClientId = new HashMap<>();
        try (WsClient ws = WsClient.of(node, owner)) {
            ws.join(room);
            for (int i = 0; i < MESSAGES; i++) ws.send(WsClient.sendFrame(room, "d-" + i, "durable " + i));
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode ack = ws.awaitMatching(n -> Json.isType(n, "ack") || Json.isType(n, "error"), T);
                assertEquals("ack", ack.path("type").asText(), () -> "reply: " + ack);
                clientIdBySeq.put(ack.path("seq").asLong(), ack.path("clientId").asText());
                seqByClientId.put(ack.path("clientId").asText(), ack.path("seq").asLong());
            }
            node.kill9(); // right after the last ack
        }
        assertEquals(MESSAGES, clientIdBySeq.size(), "distinct seqs acked");
        long lastAcked = clientIdBySeq.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        Duration ready = node.restart();
        System.out.println("[e2e] " + node.name() + ": restart after kill -9 ready in " + ready.toMillis() + " ms");

        try (WsClient ws = WsClient.of(node, owner)) {
            JsonNode joined = ws.join(room, 0L);
            assertEquals(lastAcked, joined.path("seq").asLong(), () -> "head after the restart: " + joined);
            assertEquals(1, joined.path("firstSeq").asLong(), () -> "catch-up from lastSeq=0 starts at 1: " + joined);
            List<JsonNode> events = new ArrayList<>();
            for (long s = 1; s <= lastAcked; s++) events.add(ws.awaitMatching(Json::isTimeline, T));
            assertAllAcked(events, lastAcked, clientIdBySeq, "catch-up after kill -9");
            ws.expectNothing(Json::isTimeline, Duration.ofMillis(300));

            // the same history over REST, paged backwards by 200
            List<JsonNode> paged = new ArrayList<>();
            Long before = null;
            for (int page = 0; page < 10; page++) {
                JsonNode evs = rest.history(owner, room, before, 200).expect(200).json().path("events");
                if (evs.isEmpty()) break;
                List<JsonNode> chunk = new ArrayList<>();
                evs.forEach(chunk::add);
                paged.addAll(0, chunk);
                before = chunk.get(0).path("seq").asLong();
                if (before <= 1) break;
            }
            assertAllAcked(paged, lastAcked, clientIdBySeq, "REST history after kill -9");

            // a retry of the last send (its sender could not know it landed) is not stored twice
            String lastClientId = "d-" + (MESSAGES - 1);
            assertEquals(seqByClientId.get(lastClientId), ws.sendAndAck(room, lastClientId, "durable " + (MESSAGES - 1))
                    .path("seq").asLong(), "a retry after the crash is acked with the first seq");
            JsonNode next = ws.sendAndAck(room, "after-restart", "the sequence goes on");
            assertEquals(lastAcked + 1, next.path("seq").asLong(), "the next send continues the sequence without a gap");
        }
        // the user and the room survived too
        rest.tryLogin(owner.name(), Rest.PASSWORD).expect(200);
        JsonNode listed = null;
        for (JsonNode r : rest.listRooms(owner).expect(200).json().path("rooms")) {
            if (room.equals(r.path("id").asText())) listed = r;
        }
        JsonNode found = listed;
        assertTrue(found != null, "the room is listed after the restart");
        assertEquals(lastAcked + 1, found.path("seq").asLong(), () -> "the listed room's head: " + found);
        assertEquals("owner", found.path("role").asText(), () -> "the owner's role: " + found);
    }

    private static void assertAllAcked(List<JsonNode> events, long head, Map<Long, String> clientIdBySeq, String what) {
        assertEquals(head, events.size(), what + ": number of events");
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            assertEquals(i + 1, e.path("seq").asLong(), () -> what + ": seq order at " + e);
            String cid = clientIdBySeq.get(e.path("seq").asLong());
            if (cid != null) {
                assertEquals("message", e.path("type").asText(), () -> what + ": " + e);
                assertEquals(cid, e.path("clientId").asText(), () -> what + ": acked clientId at its acked seq: " + e);
                assertEquals("durable " + cid.substring(2), e.path("text").asText(), () -> what + ": " + e);
            }
        }
        long messages = events.stream().filter(e -> clientIdBySeq.containsKey(e.path("seq").asLong())).count();
        assertEquals(clientIdBySeq.size(), messages, what + ": every acked message is there");
    }
}
