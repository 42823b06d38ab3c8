package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §2 guarantees 1, 3, 4 and §4 {@code send}/{@code ack}/{@code message}, on one standalone node. */
@Timeout(120)
class MessagingIT {
    private static final Duration T = Duration.ofSeconds(10);

    // #node-per-class
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("messaging").jvm(NodeProcess.liftedRateLimit()));
        rest = new Rest(node);
    }
    // #node-per-class

    @Test
    void twoUsersSeeEachOthersMessages() {
        Rest.User alice = rest.register("alice");
        Rest.User bob = rest.register("bob");
        String room = rest.createPublicRoom(alice).path("id").asText();
        // #ws-client
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            b.join(room);
            long before = System.currentTimeMillis();

            a.send(WsClient.sendFrame(room, "a-1", "hello bob").put("ref", "r-a1"));
            JsonNode ack = a.await("ack", T);
            // #ws-client
            assertEquals(room, ack.path("room").asText());
            assertEquals("a-1", ack.path("clientId").asText());
            assertEquals("r-a1", ack.path("ref").asText(), "ack echoes the send's ref");
            assertTrue(ack.path("seq").isIntegralNumber(), () -> "ack.seq: " + ack);
            assertTrue(ack.path("ts").isIntegralNumber(), () -> "ack.ts: " + ack);
            long seq = ack.path("seq").asLong();

            JsonNode atA = a.awaitMatching(n -> Json.isType(n, "message") && "a-1".equals(n.path("clientId").asText()), T);
            JsonNode atB = b.awaitMatching(n -> Json.isType(n, "message") && "a-1".equals(n.path("clientId").asText()), T);
            for (JsonNode m : List.of(atA, atB)) {
                assertEquals(room, m.path("room").asText());
                assertEquals(seq, m.path("seq").asLong(), () -> "message seq = ack seq: " + m);
                assertEquals(alice.name(), m.path("user").asText());
                assertEquals("hello bob", m.path("text").asText());
                assertEquals("a-1", m.path("clientId").asText());
                assertTrue(m.path("ts").isIntegralNumber(), () -> "message.ts: " + m);
                long ts = m.path("ts").asLong();
                assertTrue(ts >= before - 5_000 && ts <= System.currentTimeMillis() + 5_000, () -> "ts is epoch ms of now: " + m);
            }
            assertEquals(atA.path("ts").asLong(), atB.path("ts").asLong(), "one event, one ts");

            JsonNode ackB = b.sendAndAck(room, "b-1", "hi alice");
            assertEquals(seq + 1, ackB.path("seq").asLong(), "the next event of the room gets the next seq");
            JsonNode fromB = a.awaitMatching(n -> Json.isType(n, "message") && "b-1".equals(n.path("clientId").asText()), T);
            assertEquals(bob.name(), fromB.path("user").asText());
            assertEquals("hi alice", fromB.path("text").asText());
            assertEquals(seq + 1, fromB.path("seq").asLong());
        }
    }

    @Test
    void fiveHundredSendsReachTwoReadersWithConsecutiveSeqs() {
        Rest.User alice = rest.register("sender");
        Rest.User bob = rest.register("reader");
        Rest.User carol = rest.register("reader");
        String room = rest.createPublicRoom(alice).path("id").asText();
        int n = 500;
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob); WsClient c = WsClient.of(node, carol)) {
            a.join(room);
            b.join(room);
            c.join(room);
            // a warm-up message seen by both readers: their own joins are behind us
            a.sendAndAck(room, "warm-up", "warm-up");
            b.awaitMatching(m -> "warm-up".equals(m.path("clientId").asText()) && Json.isType(m, "message"), T);
            c.awaitMatching(m -> "warm-up".equals(m.path("clientId").asText()) && Json.isType(m, "message"), T);
            for (WsClient w : List.of(a, b, c)) w.drain(Duration.ZERO);

            for (int i = 0; i < n; i++) {
                a.send(WsClient.sendFrame(room, "m-" + i, "burst " + i));
            }
            Map<String, Long> ackSeq = new HashMap<>();
            for (int i = 0; i < n; i++) {
                JsonNode ack = a.await("ack", Duration.ofSeconds(30));
                Long prev = ackSeq.put(ack.path("clientId").asText(), ack.path("seq").asLong());
                assertEquals(null, prev, () -> "one ack per send: " + ack);
            }
            assertEquals(n, ackSeq.size());
            List<Long> sortedAcks = new ArrayList<>(ackSeq.values());
            sortedAcks.sort(null);
            for (int i = 1; i < n; i++) {
                assertEquals(sortedAcks.get(0) + i, sortedAcks.get(i), "acks carry consecutive seqs");
            }
            for (int i = 1; i < n; i++) {
                assertTrue(ackSeq.get("m-" + i) > ackSeq.get("m-" + (i - 1)), "sends of one socket keep their order");
            }

            for (WsClient reader : List.of(b, c)) {
                List<JsonNode> timeline = new ArrayList<>();
                long lastAcked = sortedAcks.get(n - 1);
                while (timeline.isEmpty() || timeline.get(timeline.size() - 1).path("seq").asLong() < lastAcked) {
                    timeline.add(reader.awaitMatching(Json::isTimeline, Duration.ofSeconds(30)));
                }
                List<JsonNode> messages = timeline.stream()
                        .filter(m -> m.path("seq").asLong() >= sortedAcks.get(0)).toList();
                assertEquals(n, messages.size(), "every message once, nothing else between");
                for (int i = 0; i < n; i++) {
                    JsonNode m = messages.get(i);
                    assertEquals("message", m.path("type").asText());
                    assertEquals(sortedAcks.get(0) + i, m.path("seq").asLong(), "strictly consecutive seqs");
                    assertEquals("m-" + i, m.path("clientId").asText());
                    assertEquals(ackSeq.get("m-" + i), m.path("seq").asLong(), "message seq = its ack's seq");
                    assertEquals("burst " + i, m.path("text").asText());
                }
                for (int i = 1; i < timeline.size(); i++) {
                    assertEquals(timeline.get(i - 1).path("seq").asLong() + 1, timeline.get(i).path("seq").asLong(),
                            "no gap and no duplicate in the reader's timeline");
                }
                reader.expectNothing(Json::isTimeline, Duration.ofMillis(300));
            }
        }
    }

    @Test
    void leaveStopsTheRoomsEventsOnThatSocket() {
        Rest.User alice = rest.register("talker");
        Rest.User bob = rest.register("leaver");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            b.join(room);
            long beforeSeq = a.sendAndAck(room, "before-leave", "you see this").path("seq").asLong();
            b.awaitMatching(m -> "before-leave".equals(m.path("clientId").asText()), T);
            b.send(Json.object().put("type", "leave").put("room", room).put("ref", "bye"));
            JsonNode left = b.awaitMatching(m -> "bye".equals(m.path("ref").asText()), T);
            assertEquals("left", left.path("type").asText(), () -> "reply to leave: " + left);
            a.sendAndAck(room, "after-leave", "you do not");
            b.expectNothing(m -> Json.isTimeline(m) && room.equals(m.path("room").asText())
                    && m.path("seq").asLong() > beforeSeq, Duration.ofMillis(700));
            b.assertAlive();
            // membership stays: bob is still listed
            JsonNode got = rest.getRoom(alice, room).expect(200).json();
            boolean listed = false;
            for (JsonNode m : got.path("members")) listed |= bob.name().equals(m.path("user").asText());
            assertTrue(listed, () -> "leave keeps the membership: " + got);
        }
    }

    @Test
    void retriedSendIsStoredOnceAndAckedWithTheFirstSeq() {
        Rest.User alice = rest.register("retry");
        Rest.User bob = rest.register("watch");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient b = WsClient.of(node, bob)) {
            b.join(room);
            long firstSeq;
            try (WsClient a1 = WsClient.of(node, alice)) {
                a1.join(room);
                firstSeq = a1.sendAndAck(room, "once-1", "only once").path("seq").asLong();
                // retry on the same socket
                JsonNode again = a1.sendAndAck(room, "once-1", "only once");
                assertEquals(firstSeq, again.path("seq").asLong(), "a retry is acked with the first seq");
                // two sends back to back, before any ack
                a1.send(WsClient.sendFrame(room, "once-2", "twice in a row"));
                a1.send(WsClient.sendFrame(room, "once-2", "twice in a row"));
                long s1 = a1.awaitAck("once-2", T).path("seq").asLong();
                long s2 = a1.awaitAck("once-2", T).path("seq").asLong();
                assertEquals(s1, s2, "both acks of a doubled send carry the same seq");
                assertEquals(firstSeq + 1, s1, "the duplicate took no seq");
            }
            // a retry after reconnecting (the client lost the ack with its socket)
            try (WsClient a2 = WsClient.of(node, alice)) {
                a2.join(room);
                assertEquals(firstSeq, a2.sendAndAck(room, "once-1", "only once").path("seq").asLong());
                JsonNode next = a2.sendAndAck(room, "once-3", "after the retries");
                assertEquals(firstSeq + 2, next.path("seq").asLong(), "retries consumed no seq");
            }

            List<JsonNode> seen = new ArrayList<>();
            seen.add(b.awaitMatching(m -> Json.isType(m, "message") && "once-3".equals(m.path("clientId").asText()), T));
            List<JsonNode> messages = new ArrayList<>(b.drain(Duration.ofMillis(500)).stream()
                    .filter(m -> Json.isType(m, "message")).toList());
            messages.addAll(seen);
            assertEquals(1, messages.stream().filter(m -> "once-1".equals(m.path("clientId").asText())).count(),
                    () -> "the subscriber got one message for once-1: " + messages);
            assertEquals(1, messages.stream().filter(m -> "once-2".equals(m.path("clientId").asText())).count(),
                    () -> "the subscriber got one message for once-2: " + messages);

            JsonNode events = rest.history(alice, room, null, null).expect(200).json().path("events");
            List<JsonNode> stored = new ArrayList<>();
            events.forEach(stored::add);
            assertEquals(1, stored.stream().filter(e -> "once-1".equals(e.path("clientId").asText())).count(),
                    () -> "history has once-1 once: " + events);
            assertEquals(1, stored.stream().filter(e -> "once-2".equals(e.path("clientId").asText())).count(),
                    () -> "history has once-2 once: " + events);
            JsonNode once1 = stored.stream().filter(e -> "once-1".equals(e.path("clientId").asText())).findFirst().orElseThrow();
            assertEquals(firstSeq, once1.path("seq").asLong());
            assertEquals("only once", once1.path("text").asText());
        }
    }
}
