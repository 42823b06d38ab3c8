package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue #13, "no work for what is not a socket": a {@code GET /ws} with a valid credential but no
 * upgrade is 400 and opens nothing (no connection, no presence); 1,000 joins of unknown room ids
 * leave the node's live room count where it was.
 */
@Timeout(120)
class NoSocketWorkIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int UNKNOWN_JOINS = 1_000;

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("no-socket-work").jvm(NodeProcess.liftedRateLimit()));
        rest = new Rest(node);
    }

    @Test
    void aPlainGetWithAValidTokenOpensNoConnectionAndLeavesPresenceOffline() throws Exception {
        Rest.User user = rest.register("plain-get");
        Rest.User observer = rest.register("observer");
        double openedBefore = metric("chat_ws_opened_total");
        HttpClient http = HttpClient.newHttpClient();
        List<HttpRequest> plain = List.of(
                HttpRequest.newBuilder(node.uri("/ws?token=" + Rest.enc(user.token()))).GET().build(),
                HttpRequest.newBuilder(node.uri("/ws")).header("Authorization", "Bearer " + user.token()).GET().build());
        for (HttpRequest request : plain) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r::body);
            assertEquals("bad_request", Json.parse(r.body()).path("error").path("code").asText(), r::body);
        }
        long deadline = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
        while (System.nanoTime() < deadline) { // presence spreads within a second: watch that long
            assertEquals("offline", presenceOf(observer, user), "a plain GET is no socket: the user stays offline");
            NodeProcess.sleep(100);
        }
        assertEquals(openedBefore, metric("chat_ws_opened_total"), "no connection was opened");

        // the probes do see a real socket: the same token, upgraded
        try (WsClient ws = WsClient.of(node, user)) {
            ws.assertAlive();
            assertEquals(openedBefore + 1, metric("chat_ws_opened_total"), "one socket opened");
            awaitPresence(observer, user, "online");
        }
    }

    @Test
    void aThousandJoinsOfUnknownRoomsLeaveNoRoomRunning() {
        Rest.User user = rest.register("wanderer");
        try (WsClient ws = WsClient.of(node, user)) {
            ws.assertAlive();
            double alive = metric("chat_rooms_alive");
            for (int i = 0; i < UNKNOWN_JOINS; i++) {
                ws.send(WsClient.joinFrame(unknownRoomId(), null).put("ref", "j-" + i));
            }
            for (int i = 0; i < UNKNOWN_JOINS; i++) {
                JsonNode reply = ws.awaitMatching(n -> n.path("ref").asText("").startsWith("j-"), T);
                assertEquals("not_found", reply.path("code").asText(), () -> "a join of an unknown room: " + reply);
            }
            double after = awaitMetric("chat_rooms_alive", alive, Duration.ofSeconds(10));
            System.out.printf("[e2e] %d unknown joins: rooms alive %.0f before, %.0f after%n", UNKNOWN_JOINS, alive, after);
            assertEquals(alive, after, "the unknown rooms stopped");
            NodeProcess.sleep(1_000);
            assertEquals(alive, metric("chat_rooms_alive"), "and stay stopped");
            ws.assertAlive();
        }
    }

    private static String unknownRoomId() {
        StringBuilder id = new StringBuilder("nx");
        for (int i = 0; i < 14; i++) id.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(ThreadLocalRandom.current().nextInt(36)));
        return id.toString();
    }

    private static String presenceOf(Rest.User asker, Rest.User user) {
        return rest.get("/api/presence?users=" + Rest.enc(user.name()), asker.token()).expect(200).json().path(user.name()).asText();
    }

    private static void awaitPresence(Rest.User asker, Rest.User user, String status) {
        long deadline = System.nanoTime() + T.toNanos();
        while (!status.equals(presenceOf(asker, user)) && System.nanoTime() < deadline) NodeProcess.sleep(100);
        assertEquals(status, presenceOf(asker, user));
    }

    private static double metric(String name) {
        return Metrics.sum(Metrics.parse(rest.getPlain("/metrics").expect(200).body()), name, "");
    }

    /** The metric once it reads {@code expected} (bounded), else its last value. */
    private static double awaitMetric(String name, double expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double value = metric(name);
        while (value != expected && System.nanoTime() < deadline) {
            NodeProcess.sleep(200);
            value = metric(name);
        }
        return value;
    }
}
