package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §1 operator interface: /healthz, /readyz, /metrics, and draining on SIGTERM. */
@Timeout(120)
class OpsIT {
    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void healthReadyAndMetrics() {
        NodeProcess node = nodes.start(NodeProcess.builder("ops-metrics"));
        Rest rest = new Rest(node);
        assertEquals(200, node.status("/healthz"));
        assertEquals(200, node.status("/readyz"));

        Rest.User alice = rest.register("ops");
        Rest.User bob = rest.register("ops");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            b.join(room);
            a.sendAndAck(room, "metric-1", "counted");
            b.awaitMatching(n -> Json.isType(n, "message") && "metric-1".equals(n.path("clientId").asText()), T);

            Rest.Resp m = rest.getPlain("/metrics").expect(200);
            String contentType = m.raw().headers().firstValue("Content-Type").orElse("");
            assertTrue(contentType.startsWith("text/plain"), "Prometheus text content type, was " + contentType);
            List<Metrics.Sample> samples = Metrics.parse(m.body());
            for (String metric : List.of("chat_ws_open", "chat_ws_frames_in_total", "chat_ws_frames_out_total",
                    "chat_messages_persisted_total", "chat_persist_latency_seconds", "chat_delivery_latency_seconds",
                    "chat_rooms_alive")) {
                assertTrue(Metrics.has(samples, metric), () -> metric + " in /metrics:\n" + m.body());
            }
            assertEquals(2.0, Metrics.sum(samples, "chat_ws_open", ""), "two open sockets");
            assertTrue(Metrics.sum(samples, "chat_messages_persisted_total", "") >= 1, "a message was persisted");
            assertTrue(Metrics.sum(samples, "chat_ws_frames_in_total", "") >= 3, "join, join, send came in");
            assertTrue(Metrics.sum(samples, "chat_ws_frames_out_total", "") >= 4, "joined, joined, ack, messages went out");
            assertTrue(Metrics.sum(samples, "chat_rooms_alive", "") >= 1, "the room is alive");
            assertTrue(Metrics.sum(samples, "chat_persist_latency_seconds_count", "") >= 1, "persist latency observed");
        }
    }

    @Test
    void sigtermDrainsOpenSocketsAndExits() {
        NodeProcess node = nodes.start(NodeProcess.builder("ops-drain"));
        Rest rest = new Rest(node);
        Rest.User user = rest.register("drain");
        String room = rest.createPublicRoom(user).path("id").asText();
        try (WsClient ws = WsClient.of(node, user)) {
            ws.join(room);
            ws.sendAndAck(room, "before-drain", "still up");
            ws.drain(Duration.ofMillis(200));

            node.sigterm();
            List<Integer> readyz = new ArrayList<>();
            JsonNode closing = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (closing == null && System.nanoTime() < deadline) {
                readyz.add(node.status("/readyz"));
                try {
                    closing = ws.await("closing", Duration.ofMillis(50));
                } catch (AssertionError notYet) {
                    if (ws.closed().isDone()) break; // closed: any closing frame is already queued
                }
            }
            if (closing == null) closing = ws.await("closing", Duration.ofMillis(100));
            assertEquals("draining", closing.path("reason").asText(), "closing: " + closing);
            ws.awaitClosed(T);
            int exit = node.awaitExit(Duration.ofSeconds(30));
            System.out.println("[e2e] drain: /readyz after SIGTERM " + readyz + ", exit code " + exit);
            assertTrue(readyz.contains(503), "/readyz answered 503 while draining, saw " + readyz);
        }
    }
}
