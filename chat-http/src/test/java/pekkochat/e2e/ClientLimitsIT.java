package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

/**
 * PROTOCOL.md §4–5, one test per limit a socket's client can run into: each frame type that makes
 * the node work has its own bucket (here 3 at once, then one each 10 s), answered
 * {@code rate_limited} with the frame's ref; and the default cap of 256 sockets per user, refused
 * at the upgrade with 429 and the error body. After each refusal the socket still works.
 */
@Timeout(120)
class ClientLimitsIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int BURST = 3;
    private static final int FRAMES = 6;
    private static final List<String> TYPES = List.of("join", "leave", "edit", "delete", "read", "typing", "presence");
    private static final int DEFAULT_SOCKET_CAP = 256;

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        List<String> jvm = new ArrayList<>();
        for (String type : TYPES) {
            jvm.add("-Dchat.ws.rate-limit." + type + ".burst=" + BURST);
            jvm.add("-Dchat.ws.rate-limit." + type + ".per-second=0.1");
        }
        node = nodes.start(NodeProcess.builder("client-limits").jvm(jvm)); // sockets per user: the default
        rest = new Rest(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"join", "leave", "edit", "delete", "read", "typing", "presence"})
    void eachFrameTypeHasItsOwnRateLimit(String type) {
        Rest.User user = rest.register("rl-" + type);
        String room = rest.createPublicRoom(user).path("id").asText();
        try (WsClient ws = WsClient.of(node, user)) {
            long target = 0;
            if (!type.equals("join")) ws.join(room);
            if (List.of("edit", "delete", "read").contains(type)) {
                target = ws.sendAndAck(room, "m-1", "a message to change").path("seq").asLong();
            }
            for (int i = 0; i < FRAMES; i++) ws.send(frame(type, room, target, i).put("ref", type + "-" + i));

            Set<String> limited = new TreeSet<>();
            for (int i = BURST; i < FRAMES; i++) {
                JsonNode e = ws.awaitMatching(n -> Json.isType(n, "error") && "rate_limited".equals(n.path("code").asText())
                        && n.path("ref").asText("").startsWith(type + "-"), T);
                limited.add(e.path("ref").asText());
            }
            assertEquals(Set.of(type + "-3", type + "-4", type + "-5"), limited,
                    "the frames past the burst of " + BURST + " are the refused ones");
            for (JsonNode n : ws.drain(Duration.ofMillis(300))) {
                assertTrue(!(Json.isType(n, "error") && "rate_limited".equals(n.path("code").asText())),
                        () -> "nothing within the burst is refused: " + n);
            }
            ws.assertAlive();
            assertEquals("after", ws.sendAndAck(room, "after", "the socket still works").path("clientId").asText());
        }
    }

    private static ObjectNode frame(String type, String room, long target, int i) {
        ObjectNode f = Json.object().put("type", type);
        switch (type) {
            case "presence" -> f.put("status", i % 2 == 0 ? "away" : "online");
            case "edit" -> f.put("room", room).put("target", target).put("text", "edit " + i);
            case "delete" -> f.put("room", room).put("target", target);
            case "read" -> f.put("room", room).put("seq", target);
            default -> f.put("room", room);
        }
        return f;
    }

    @Test
    void theDefaultCapOf256SocketsPerUserIsRefusedWith429AndTheBody() throws IOException {
        Rest.User user = rest.register("many-tabs");
        String path = "/ws?token=" + Rest.enc(user.token());
        List<RawWsSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < DEFAULT_SOCKET_CAP; i++) open.add(RawWsSocket.open(node.httpPort(), path, 65_536));
            String refused = refusedUpgrade(node.httpPort(), path);
            assertTrue(refused.startsWith("HTTP/1.1 429"), () -> "socket " + (DEFAULT_SOCKET_CAP + 1) + ": " + refused);
            JsonNode body = Json.parse(refused.substring(refused.indexOf("\r\n\r\n") + 4));
            assertEquals("rate_limited", body.path("error").path("code").asText(), refused);

            RawWsSocket last = open.get(open.size() - 1);
            last.sendText("{\"type\":\"ping\",\"ref\":\"still\"}");
            RawWsSocket.Frame pong = last.readFrame((int) T.toMillis());
            assertTrue(pong != null && pong.text().contains("\"pong\""), () -> "an open socket still answers: " + pong);
        } finally {
            open.forEach(RawWsSocket::close);
        }
    }

    /** A WebSocket upgrade the node refuses: its status line, headers and body, as sent. */
    private static String refusedUpgrade(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout((int) T.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n") && head.length() < 16_384) {
                int c = in.read();
                if (c < 0) break;
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            }
            return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }
}
