package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §4 {@code joined} + catch-up (50 by default, 1,000 at most) and §2 guarantee 3 (catch-up then live). */
@Timeout(180)
class CatchUpIT {
    private static final Duration T = Duration.ofSeconds(15);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("catchup").jvm(NodeProcess.liftedRateLimit()));
        rest = new Rest(node);
    }

    /** Sends {@code join}; returns {@code joined}, failing if a timeline event came before it. */
    private static JsonNode joinFirst(WsClient ws, String room, Long lastSeq) {
        String ref = ws.nextRef();
        ws.send(WsClient.joinFrame(room, lastSeq).put("ref", ref));
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode n = ws.next(T);
            if (ref.equals(n.path("ref").asText(null))) {
                assertEquals("joined", n.path("type").asText(), () -> "reply to join: " + n);
                return n;
            }
            assertFalse(Json.isTimeline(n), () -> "timeline event before joined: " + n);
        }
        throw new AssertionError("no joined within " + T);
    }

    /** The next {@code count} timeline events. */
    private static List<JsonNode> timeline(WsClient ws, int count) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(ws.awaitMatching(Json::isTimeline, T));
        return out;
    }

    private static void assertSeqs(List<JsonNode> events, long from, long to) {
        assertEquals(to - from + 1, events.size(), "number of events");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(from + i, events.get(i).path("seq").asLong(), "seq of catch-up event #" + i);
        }
    }

    @Test
    void joinedThenLast50ThenAfterLastSeqThenAtMost1000() {
        Rest.User owner = rest.register("owner");
        String room = rest.createPublicRoom(owner).path("id").asText();
        int n = 1100;
        Map<Long, String> clientIdBySeq = new ConcurrentHashMap<>();
        long head = 0;
        try (WsClient sender = WsClient.of(node, owner)) {
            sender.join(room);
            for (int batch = 0; batch < n / 100; batch++) {
                for (int i = 0; i < 100; i++) sender.send(WsClient.sendFrame(room, "c-" + batch + "-" + i, "text " + batch + "-" + i));
                for (int i = 0; i < 100; i++) {
                    JsonNode ack = sender.await("ack", T);
                    clientIdBySeq.put(ack.path("seq").asLong(), ack.path("clientId").asText());
                    head = Math.max(head, ack.path("seq").asLong());
                }
            }
        }
        assertEquals(n, clientIdBySeq.size());
        final long h = head;

        // fresh join: joined, then exactly the last 50 timeline events
        try (WsClient ws = WsClient.of(node, owner)) {
            JsonNode joined = joinFirst(ws, room, null);
            assertEquals(room, joined.path("room").asText());
            assertEquals(h, joined.path("seq").asLong(), () -> "joined.seq is the head: " + joined);
            assertEquals(h - 49, joined.path("firstSeq").asLong(), () -> "firstSeq of a fresh join: " + joined);
            assertTrue(joined.path("members").isArray(), () -> "members: " + joined);
            assertTrue(joined.path("reads").isObject(), () -> "reads: " + joined);
            List<JsonNode> catchUp = timeline(ws, 50);
            assertSeqs(catchUp, h - 49, h);
            for (JsonNode e : catchUp) {
                assertEquals("message", e.path("type").asText());
                assertEquals(clientIdBySeq.get(e.path("seq").asLong()), e.path("clientId").asText(), () -> "event " + e);
                assertEquals(room, e.path("room").asText());
            }
            ws.expectNothing(Json::isTimeline, Duration.ofMillis(500));
        }

        // lastSeq = k: exactly the events after k
        long k = h - 300;
        try (WsClient ws = WsClient.of(node, owner)) {
            JsonNode joined = joinFirst(ws, room, k);
            assertEquals(h, joined.path("seq").asLong());
            assertEquals(k + 1, joined.path("firstSeq").asLong(), () -> "firstSeq after lastSeq=" + k + ": " + joined);
            List<JsonNode> catchUp = timeline(ws, 300);
            assertSeqs(catchUp, k + 1, h);
            ws.expectNothing(Json::isTimeline, Duration.ofMillis(500));
        }

        // lastSeq = head: nothing to catch up
        try (WsClient ws = WsClient.of(node, owner)) {
            JsonNode joined = joinFirst(ws, room, h);
            assertEquals(h, joined.path("seq").asLong());
            ws.expectNothing(Json::isTimeline, Duration.ofMillis(500));
        }

        // lastSeq older than the newest 1,000: the newest 1,000, and firstSeq says so
        long old = 5;
        try (WsClient ws = WsClient.of(node, owner)) {
            JsonNode joined = joinFirst(ws, room, old);
            long firstSeq = joined.path("firstSeq").asLong();
            assertTrue(firstSeq > old + 1, () -> "firstSeq > lastSeq + 1 when the catch-up is cut: " + joined);
            assertEquals(h - 999, firstSeq, () -> "the catch-up is the newest 1,000: " + joined);
            List<JsonNode> catchUp = timeline(ws, 1000);
            assertSeqs(catchUp, h - 999, h);
            ws.expectNothing(Json::isTimeline, Duration.ofMillis(500));
        }
    }

    @Test
    void joinedListsMembersWithRoleAndPresence() {
        Rest.User owner = rest.register("owner");
        Rest.User guest = rest.register("guest");
        String room = rest.createPublicRoom(owner).path("id").asText();
        try (WsClient o = WsClient.of(node, owner); WsClient g = WsClient.of(node, guest)) {
            o.join(room);
            JsonNode joined = g.join(room);
            assertEquals(room, joined.path("room").asText());
            assertTrue(joined.path("reads").isObject(), () -> "reads: " + joined);
            Map<String, JsonNode> members = new java.util.HashMap<>();
            joined.path("members").forEach(m -> members.put(m.path("user").asText(), m));
            assertTrue(members.containsKey(owner.name()), () -> "owner among members: " + joined);
            assertTrue(members.containsKey(guest.name()), () -> "joining a public room makes a member: " + joined);
            assertEquals("owner", members.get(owner.name()).path("role").asText(), () -> "owner's role: " + joined);
            assertEquals("member", members.get(guest.name()).path("role").asText(), () -> "guest's role: " + joined);
            // both have an open socket: online (PROTOCOL.md §4 Presence)
            assertEquals("online", members.get(owner.name()).path("presence").asText(), () -> "owner's presence: " + joined);
            assertEquals("online", members.get(guest.name()).path("presence").asText(), () -> "guest's presence: " + joined);
        }
    }

    @Test
    void catchUpThenLiveWithoutGapOrDuplicate() throws Exception {
        Rest.User alice = rest.register("stream");
        Rest.User bob = rest.register("late");
        String room = rest.createPublicRoom(alice).path("id").asText();
        Map<Integer, Long> ackSeqByIndex = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            int window = 4;
            Future<?> sender = pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int i = 0;
                for (; i < 20_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    a.send(WsClient.sendFrame(room, "s-" + i, "live " + i));
                    sent.incrementAndGet();
                    if (i >= window) ackSeqByIndex.put(i - window, a.awaitAck("s-" + (i - window), T).path("seq").asLong());
                }
                for (int j = Math.max(0, i - window); j < i; j++) ackSeqByIndex.put(j, a.awaitAck("s-" + j, T).path("seq").asLong());
                return null;
            });
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ackSeqByIndex.size() < 200 && System.nanoTime() < waitUntil && !sender.isDone()) Thread.sleep(5);
            if (sender.isDone()) sender.get();
            assertTrue(ackSeqByIndex.size() >= 200, "the sender got going");
            long lastSeq = ackSeqByIndex.get(100);

            JsonNode joined = joinFirst(b, room, lastSeq);
            long joinedHead = joined.path("seq").asLong();
            List<JsonNode> seen = new ArrayList<>();
            while (seen.isEmpty() || seen.get(seen.size() - 1).path("seq").asLong() < joinedHead + 200) {
                seen.add(b.awaitMatching(Json::isTimeline, T));
            }
            stop.set(true);
            sender.get(60, TimeUnit.SECONDS);
            long last = ackSeqByIndex.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertEquals(sent.get(), ackSeqByIndex.size(), "every send acked");
            assertTrue(last > joinedHead + 200, "live events followed the catch-up");
            while (seen.get(seen.size() - 1).path("seq").asLong() < last) {
                seen.add(b.awaitMatching(Json::isTimeline, T));
            }
            b.expectNothing(Json::isTimeline, Duration.ofMillis(300));

            for (int i = 0; i < seen.size(); i++) {
                long expected = lastSeq + 1 + i;
                if (seen.get(i).path("seq").asLong() != expected) {
                    fail("joiner (lastSeq=" + lastSeq + ", joined.seq=" + joinedHead + ") expected seq " + expected
                            + " at position " + i + " but got " + seen.get(i) + (i > 0 ? " after " + seen.get(i - 1) : ""));
                }
            }
            assertEquals(last - lastSeq, seen.size(), "every seq after lastSeq exactly once");
            for (Map.Entry<Integer, Long> e : ackSeqByIndex.entrySet()) {
                if (e.getValue() > lastSeq) {
                    JsonNode ev = seen.get((int) (e.getValue() - lastSeq - 1));
                    assertEquals("s-" + e.getKey(), ev.path("clientId").asText(), () -> "event at acked seq: " + ev);
                }
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
