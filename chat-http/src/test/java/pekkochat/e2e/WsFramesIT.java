package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.RawWsSocket;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §5: error frames for malformed frames, closing frames, and the default rate limit (20 burst, 10/s). */
@Timeout(60)
class WsFramesIT {
    private static final Duration T = Duration.ofSeconds(10);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("wsframes")); // default config: the default rate limit
        rest = new Rest(node);
    }

    @Test
    void malformedFramesGetBadRequestAndTheSocketStaysUsable() {
        Rest.User user = rest.register("frames");
        String room = rest.createPublicRoom(user).path("id").asText();
        String q = Json.write(Json.MAPPER.getNodeFactory().textNode(room));
        // frame -> the ref its error must echo (null: none)
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("this is not json", null);
        cases.put("{\"type\":\"send\",\"room\":", null);
        cases.put("[1,2,3]", null);
        cases.put("{\"ref\":\"r-notype\"}", "r-notype");
        cases.put("{\"type\":\"frobnicate\",\"ref\":\"r-unknown\"}", "r-unknown");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"ref\":\"r-missing\"}", "r-missing");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"text\":\"no clientId\",\"ref\":\"r-nocid\"}", "r-nocid");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"x1\",\"ref\":\"r-notext\"}", "r-notext");
        cases.put("{\"type\":\"join\",\"ref\":\"r-noroom\"}", "r-noroom");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"x2\",\"text\":\"" + "a".repeat(4001) + "\",\"ref\":\"r-long\"}", "r-long");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"" + "c".repeat(65) + "\",\"text\":\"hi\",\"ref\":\"r-cid\"}", "r-cid");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"x3\",\"text\":\"\",\"ref\":\"r-empty\"}", "r-empty");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"\",\"text\":\"hi\",\"ref\":\"r-emptycid\"}", "r-emptycid");
        cases.put("{\"type\":\"send\",\"room\":" + q + ",\"clientId\":\"x4\",\"text\":42,\"ref\":\"r-type\"}", "r-type");
        cases.put("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}", null); // ref over 64

        try (WsClient ws = WsClient.of(node, user)) {
            ws.join(room);
            ws.drain(Duration.ofMillis(200));
            for (Map.Entry<String, String> c : cases.entrySet()) {
                String frame = c.getKey();
                ws.send(frame);
                JsonNode err = ws.awaitMatching(n -> Json.isType(n, "error") || Json.isType(n, "ack"), T);
                assertEquals("error", err.path("type").asText(), () -> "reply to " + Json.abbreviate(frame) + ": " + err);
                assertEquals("bad_request", err.path("code").asText(), () -> "code for " + Json.abbreviate(frame) + ": " + err);
                assertTrue(err.path("message").isTextual(), () -> "error has a message: " + err);
                if (c.getValue() != null) {
                    assertEquals(c.getValue(), err.path("ref").asText(null), () -> "error echoes the ref: " + err);
                }
                ws.assertAlive();
            }
            ws.expectNothing(n -> Json.isType(n, "ack") || Json.isType(n, "message"), Duration.ofMillis(300));

            // the bounds themselves are accepted
            JsonNode ack = ws.sendAndAck(room, "c".repeat(64), "a".repeat(4000));
            assertEquals("c".repeat(64), ack.path("clientId").asText());
            JsonNode msg = ws.awaitMatching(n -> Json.isType(n, "message") && n.path("seq").asLong() == ack.path("seq").asLong(), T);
            assertEquals(4000, msg.path("text").asText().length());
        }
    }

    @Test
    void joinOfAnUnknownOrForeignPrivateRoomIsRefused() {
        Rest.User owner = rest.register("private");
        Rest.User other = rest.register("outsider");
        String privateRoom = rest.createRoom(owner, "private").path("id").asText();
        try (WsClient ws = WsClient.of(node, other)) {
            ws.send(WsClient.joinFrame("nosuchroom" + Rest.uniqueName("x").replaceAll("[^a-z0-9]", ""), null).put("ref", "j-unknown"));
            JsonNode unknown = ws.awaitMatching(n -> "j-unknown".equals(n.path("ref").asText()), T);
            assertEquals("error", unknown.path("type").asText(), () -> "join of an unknown room: " + unknown);
            assertEquals("not_found", unknown.path("code").asText(), () -> "join of an unknown room: " + unknown);

            ws.send(WsClient.joinFrame(privateRoom, null).put("ref", "j-private"));
            JsonNode foreign = ws.awaitMatching(n -> "j-private".equals(n.path("ref").asText()), T);
            assertEquals("error", foreign.path("type").asText(), () -> "join of another's private room: " + foreign);
            assertEquals("forbidden", foreign.path("code").asText(), () -> "join of another's private room: " + foreign);

            ws.send(WsClient.sendFrame(privateRoom, "sneak", "let me in").put("ref", "s-private"));
            JsonNode sneak = ws.awaitMatching(n -> "s-private".equals(n.path("ref").asText()), T);
            assertEquals("error", sneak.path("type").asText(), () -> "send to another's private room: " + sneak);
            assertEquals("forbidden", sneak.path("code").asText(), () -> "send to another's private room: " + sneak);
            ws.assertAlive();
        }
        JsonNode history = rest.history(owner, privateRoom, null, null).expect(200).json().path("events");
        history.forEach(e -> assertTrue(!"sneak".equals(e.path("clientId").asText()), "nothing stored from an outsider"));
    }

    @Test
    void binaryFrameClosesTheSocketWithBinaryFrame() {
        Rest.User user = rest.register("binary");
        try (WsClient ws = WsClient.of(node, user)) {
            ws.assertAlive();
            ws.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            JsonNode closing = ws.await("closing", T);
            assertEquals("binary_frame", closing.path("reason").asText(), () -> "closing: " + closing);
            assertTrue(closing.path("message").isTextual(), () -> "closing has a message: " + closing);
            WsClient.Closed closed = ws.awaitClosed(T);
            System.out.println("[e2e] binary frame: socket ended with " + closed);
        }
    }

    @Test
    void frameOver64KiBClosesTheSocketWithTooLarge() {
        Rest.User user = rest.register("large");
        String room = rest.createPublicRoom(user).path("id").asText();
        try (WsClient ws = WsClient.of(node, user)) {
            ws.join(room);
            ws.send(Json.write(WsClient.sendFrame(room, "big", "b".repeat(70_000))));
            JsonNode closing = ws.await("closing", T);
            assertEquals("too_large", closing.path("reason").asText(), () -> "closing: " + closing);
            WsClient.Closed closed = ws.awaitClosed(T);
            System.out.println("[e2e] too large: socket ended with " + closed);
            ws.expectNothing(n -> Json.isType(n, "ack"), Duration.ZERO);
        }
    }

    /**
     * Issue #13, acceptance 5 (the node's part): a 70 KiB message, however it arrives, is answered
     * with its {@code closing} {@code too_large} frame and then the close, every time, never a
     * failed stream.
     */
    @ParameterizedTest
    @ValueSource(strings = {"one frame", "continuation frames", "one frame in many TCP writes"})
    void a70KiBMessageGetsClosingTooLargeBeforeTheClose20TimesInARow(String how) throws IOException {
        Rest.User user = rest.register("large20");
        String room = rest.createPublicRoom(user).path("id").asText();
        String message = Json.write(WsClient.sendFrame(room, "big", "b".repeat(70 * 1024)));
        String path = "/ws?token=" + Rest.enc(user.token());
        for (int i = 0; i < 20; i++) {
            try (RawWsSocket raw = RawWsSocket.open(node.httpPort(), path, 1 << 16)) {
                switch (how) {
                    case "one frame" -> raw.sendText(message);
                    case "continuation frames" -> raw.sendFragmented(message, 10);
                    default -> raw.sendTextInChunks(message, 1_000);
                }
                raw.expectClosingThenClose("too_large", (int) T.toMillis(), how + ", attempt " + (i + 1));
            }
        }
    }

    @Test
    void defaultRateLimitRefusesABurstOf40() {
        Rest.User user = rest.register("rate");
        String room = rest.createPublicRoom(user).path("id").asText();
        try (WsClient ws = WsClient.of(node, user)) {
            ws.join(room);
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                ws.send(WsClient.sendFrame(room, "rl-" + i, "burst " + i).put("ref", "ref-" + i));
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, JsonNode> replies = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                JsonNode r = ws.awaitMatching(n -> (Json.isType(n, "ack") || Json.isType(n, "error"))
                        && n.path("ref").asText("").startsWith("ref-"), T);
                JsonNode prev = replies.put(r.path("ref").asText(), r);
                assertEquals(null, prev, () -> "one reply per send: " + r);
            }
            long acks = replies.values().stream().filter(n -> Json.isType(n, "ack")).count();
            long limited = replies.values().stream()
                    .filter(n -> Json.isType(n, "error") && "rate_limited".equals(n.path("code").asText())).count();
            assertEquals(40, acks + limited, () -> "only acks and rate_limited errors: " + replies.values());
            assertTrue(limited >= 1, "at least one send is rate limited");
            // 20 in the burst, plus 10 a second over the time the 40 frames took to leave (+2 for arrival jitter)
            long most = 22 + (long) Math.ceil(10 * sendSeconds);
            System.out.printf("[e2e] rate limit: 40 sends in %.0f ms, %d acks, %d rate_limited%n", sendSeconds * 1000, acks, limited);
            assertTrue(acks >= 20 && acks <= most, "acks of a 40-send burst in " + Math.round(sendSeconds * 1000)
                    + " ms with 20 burst and 10/s: " + acks + ", expected 20.." + most);
            for (int i = 0; i < 20; i++) {
                assertEquals("ack", replies.get("ref-" + i).path("type").asText(), "the first 20 fit in the burst: ref-" + i);
            }
            ws.expectNothing(n -> Json.isType(n, "ack") || Json.isType(n, "error"), Duration.ofMillis(200));
            ws.assertAlive();

            NodeProcess.sleep(1_100); // 10 a second refill
            JsonNode ack = ws.sendAndAck(room, "after-pause", "allowed again");
            assertEquals("after-pause", ack.path("clientId").asText());
        }
    }
}
