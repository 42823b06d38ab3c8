package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.RawWsSocket;
import pekkochat.testkit.ws.WsClient;

/**
 * PROTOCOL.md §5: "A slow or stalled socket never delays delivery to any other socket"; the stalled one is
 * closed with {@code slow_consumer} (best effort) and counted in {@code chat_ws_closed_total}.
 */
@Timeout(180)
class SlowConsumerIT {
    private static final int MESSAGES = 3000;
    private static final int TEXT_CHARS = 3900;
    private static final int WINDOW = 64;
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("slowconsumer")
                .jvm(NodeProcess.liftedRateLimit())
                .jvm("-Dchat.ws.outbound-queue-size=256"));
        rest = new Rest(node);
    }

    @Test
    void stalledSocketIsClosedAndDelaysNobody() throws Exception {
        Rest.User owner = rest.register("sender");
        Rest.User reader = rest.register("reader");
        Rest.User staller = rest.register("staller");
        String room = rest.createPublicRoom(owner).path("id").asText();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RawWsSocket stalled = RawWsSocket.open(node.httpPort(), "/ws?token=" + Rest.enc(staller.token()), 4096);
             WsClient r = WsClient.of(node, reader);
             WsClient s = WsClient.of(node, owner)) {
            stalled.sendText(Json.write(WsClient.joinFrame(room, null).put("ref", "stall-join")));
            awaitJoinedOnRawSocket(stalled);
            // from here on the stalled socket is never read until the end
            r.join(room);
            s.join(room);

            String text = "x".repeat(TEXT_CHARS);
            Map<Integer, Long> ackNanos = new ConcurrentHashMap<>();
            Map<Integer, Long> ackSeq = new ConcurrentHashMap<>();
            Future<?> sender = pool.submit(() -> {
                for (int i = 0; i < MESSAGES + WINDOW; i++) {
                    if (i < MESSAGES) s.send(WsClient.sendFrame(room, "sc-" + i, text));
                    int j = i - WINDOW;
                    if (j >= 0) {
                        String cid = "sc-" + j;
                        WsClient.Received ack = s.awaitReceived(n -> (Json.isType(n, "ack") || Json.isType(n, "error"))
                                && cid.equals(n.path("clientId").asText()), Duration.ofSeconds(30));
                        assertEquals("ack", ack.json().path("type").asText(), () -> "reply: " + ack.json());
                        ackNanos.put(j, ack.nanos());
                        ackSeq.put(j, ack.json().path("seq").asLong());
                    }
                }
                return null;
            });

            long start = System.nanoTime();
            List<WsClient.Received> got = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                got.add(r.awaitReceived(n -> Json.isType(n, "message") && n.path("clientId").asText().startsWith("sc-"),
                        Duration.ofSeconds(30)));
            }
            sender.get(60, TimeUnit.SECONDS);
            System.out.printf("[e2e] slow consumer: %d x %d chars delivered in %d ms%n", MESSAGES, TEXT_CHARS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

            long worst = Long.MIN_VALUE;
            int worstAt = -1;
            for (int i = 0; i < MESSAGES; i++) {
                JsonNode m = got.get(i).json();
                assertEquals("sc-" + i, m.path("clientId").asText(), "the reader gets every message in order");
                assertEquals(ackSeq.get(i).longValue(), m.path("seq").asLong());
                assertEquals(TEXT_CHARS, m.path("text").asText().length());
                long delay = got.get(i).nanos() - ackNanos.get(i);
                if (delay > worst) {
                    worst = delay;
                    worstAt = i;
                }
            }
            System.out.printf("[e2e] slow consumer: worst reader delay after ack %d ms (message %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(worst), worstAt);
            assertTrue(worst <= MAX_DELAY.toNanos(), "every message reaches the normal reader within " + MAX_DELAY
                    + " of its ack; worst " + TimeUnit.NANOSECONDS.toMillis(worst) + " ms at message " + worstAt);

            double closedSlow = awaitSlowConsumerMetric(Duration.ofSeconds(15));
            assertTrue(closedSlow >= 1, "chat_ws_closed_total{reason=\"slow_consumer\"} >= 1, was " + closedSlow);

            assertStalledSocketEnds(stalled, Duration.ofSeconds(30));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitJoinedOnRawSocket(RawWsSocket raw) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            RawWsSocket.Frame f = raw.readFrame(10_000);
            if (f == null) fail("stalled socket closed before joined");
            if (f.opcode() != 1) continue;
            for (String line : f.text().split("\n")) {
                if (!line.isBlank() && "stall-join".equals(Json.parse(line).path("ref").asText())) {
                    assertEquals("joined", Json.parse(line).path("type").asText(), line);
                    return;
                }
            }
        }
        fail("no joined on the raw socket within 10 s");
    }

    private static double awaitSlowConsumerMetric(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double value = 0;
        while (System.nanoTime() < deadline) {
            Rest.Resp m = rest.getPlain("/metrics").expect(200);
            value = Metrics.sum(Metrics.parse(m.body()), "chat_ws_closed_total", "reason=\"slow_consumer\"");
            if (value >= 1) return value;
            NodeProcess.sleep(250);
        }
        return value;
    }

    /** Reads whatever the server still sends; the connection must end (EOF or reset) within the timeout. */
    private static void assertStalledSocketEnds(RawWsSocket raw, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> closingReasons = new ArrayList<>();
        long bytes = 0;
        String end = null;
        while (end == null && System.nanoTime() < deadline) {
            try {
                RawWsSocket.Frame f = raw.readFrame(1_000);
                if (f == null) {
                    end = "EOF";
                } else if (f.opcode() == 8) {
                    try {
                        raw.sendClose();
                    } catch (IOException ignored) {
                        // the server may already be gone
                    }
                } else if (f.opcode() == 1) {
                    bytes += f.payload().length;
                    for (String line : f.text().split("\n")) {
                        if (line.contains("\"closing\"")) {
                            JsonNode n = Json.parse(line);
                            if (Json.isType(n, "closing")) closingReasons.add(n.path("reason").asText());
                        }
                    }
                }
            } catch (IOException e) {
                if (!RawWsSocket.isTimeout(e)) end = "reset (" + e + ")";
            }
        }
        System.out.printf("[e2e] stalled socket: %s after %d more text bytes, closing reasons %s%n", end, bytes, closingReasons);
        if (end == null) fail("the stalled socket's connection did not end within " + timeout);
        for (String reason : closingReasons) assertEquals("slow_consumer", reason, "closing reason of the stalled socket");
    }
}
