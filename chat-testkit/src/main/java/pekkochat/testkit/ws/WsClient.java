package pekkochat.testkit.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;

/**
 * A real WebSocket client ({@code java.net.http.WebSocket}, independent of the code under test) for
 * PROTOCOL.md §4, to a node or to a balancer in front of nodes. Text frames are joined until
 * {@code last}; what arrived is read as whole frames or as JSON objects split on newlines, see {@link Inbox}.
 */
public final class WsClient extends Inbox implements AutoCloseable {

    /** How the socket ended: close code and reason, or the transport error (code -1). */
    public record Closed(int code, String reason, Throwable error) {
    }

    /** The socket did not open: refused, unreachable, or timed out. */
    public static class ConnectFailed extends RuntimeException {
        ConnectFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The upgrade was refused with this HTTP status. */
    public static final class UpgradeRefused extends ConnectFailed {
        public final int status;

        UpgradeRefused(int status, Throwable cause) {
            super("WebSocket upgrade refused with HTTP " + status, cause);
            this.status = status;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final String label;
    private WebSocket ws;
    private int refCounter;

    private WsClient(String label) {
        this.label = label;
    }

    public static WsClient withTicket(NodeProcess node, String ticket) {
        return connect(node.wsUri("ticket=" + Rest.enc(ticket)), Map.of());
    }

    public static WsClient withToken(NodeProcess node, String token) {
        return connect(node.wsUri("token=" + Rest.enc(token)), Map.of());
    }

    public static WsClient withBearer(NodeProcess node, String token) {
        return connect(node.wsUri(null), Map.of("Authorization", "Bearer " + token));
    }

    public static WsClient of(NodeProcess node, Rest.User user) {
        return withToken(node, user.token());
    }

    public static WsClient connect(String uri, Map<String, String> headers) {
        return connect(URI.create(uri), headers);
    }

    /**
     * Opens a socket; {@code Sec-WebSocket-Protocol} among the headers asks for that subprotocol. Throws
     * {@link UpgradeRefused} if the server answers the upgrade with an HTTP status, else {@link ConnectFailed}.
     */
    public static WsClient connect(URI uri, Map<String, String> headers) {
        WsClient c = new WsClient(uri.getRawQuery() == null ? "ws" : uri.getRawQuery().replaceAll("=.*", ""));
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) b.subprotocols(value);
            else b.header(name, value);
        });
        try {
            c.ws = b.buildAsync(uri, c.new Listener()).get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return c;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof WebSocketHandshakeException)) cause = cause.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                throw new UpgradeRefused(h.getResponse().statusCode(), h);
            }
            throw new ConnectFailed("WebSocket connect to " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectFailed("WebSocket connect to " + uri + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Status of a refused upgrade, or 101 when it opened (the socket is then closed). */
    public static int upgradeStatus(URI uri, Map<String, String> headers) {
        try (WsClient c = connect(uri, headers)) {
            return 101;
        } catch (UpgradeRefused r) {
            return r.status;
        }
    }

    public static int upgradeStatus(String uri, Map<String, String> headers) {
        return upgradeStatus(URI.create(uri), headers);
    }

    /** The subprotocol the server chose, or empty. */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                arrived(new Frame(text.toString(), null, System.nanoTime()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                arrived(new Frame(null, binary.toByteArray(), System.nanoTime()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason, null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, null, error));
        }
    }

    // ---- sending

    /** Sends one JSON object as a text frame (waits until it is written, bounded). */
    public void send(ObjectNode frame) {
        send(Json.write(frame));
    }

    /** Sends any text as one frame, e.g. a malformed one. */
    public synchronized void send(String text) {
        await(ws.sendText(text, true), "sendText");
    }

    public synchronized void sendBinary(byte[] bytes) {
        await(ws.sendBinary(ByteBuffer.wrap(bytes), true), "sendBinary");
    }

    private static void await(CompletableFuture<?> f, String what) {
        try {
            f.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + SEND_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String nextRef() {
        return label + "-" + (++refCounter);
    }

    // ---- frames of PROTOCOL.md §4

    public static ObjectNode joinFrame(String room, Long lastSeq) {
        ObjectNode f = Json.object().put("type", "join").put("room", room);
        if (lastSeq != null) f.put("lastSeq", lastSeq);
        return f;
    }

    public static ObjectNode sendFrame(String room, String clientId, String text) {
        return Json.object().put("type", "send").put("room", room).put("clientId", clientId).put("text", text);
    }

    /** Sends {@code join} with a fresh {@code ref} and waits for its {@code joined}. */
    public JsonNode join(String room, Long lastSeq) {
        String ref = nextRef();
        send(joinFrame(room, lastSeq).put("ref", ref));
        JsonNode reply = awaitMatching(n -> ref.equals(n.path("ref").asText(null)), Duration.ofSeconds(10));
        assertEquals("joined", reply.path("type").asText(), () -> "reply to join: " + reply);
        return reply;
    }

    public JsonNode join(String room) {
        return join(room, null);
    }

    /** Sends a message and waits for its {@code ack}. */
    public JsonNode sendAndAck(String room, String clientId, String text) {
        send(sendFrame(room, clientId, text));
        return awaitAck(clientId, Duration.ofSeconds(10));
    }

    public JsonNode awaitAck(String clientId, Duration timeout) {
        JsonNode reply = awaitMatching(n -> (Json.isType(n, "ack") || Json.isType(n, "error"))
                && clientId.equals(n.path("clientId").asText(null)), timeout);
        assertEquals("ack", reply.path("type").asText(), () -> "reply to send " + clientId + ": " + reply);
        return reply;
    }

    /** Sends {@code ping} with a fresh ref and expects {@code pong} with that ref. */
    public void assertAlive() {
        String ref = nextRef();
        send(Json.object().put("type", "ping").put("ref", ref));
        JsonNode reply = awaitMatching(n -> ref.equals(n.path("ref").asText(null)), Duration.ofSeconds(10));
        assertEquals("pong", reply.path("type").asText(), () -> "reply to ping: " + reply);
    }

    // ---- closing

    /** Completes when the socket ended: the server's close, or a transport error. */
    public CompletableFuture<Closed> closed() {
        return closed;
    }

    /** Waits (bounded) for the server to end the socket. */
    public Closed awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("socket not closed by the server within " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    String closedNote() {
        return closed.isDone() ? "; socket closed: " + closed.join() : "";
    }

    /**
     * Closes with 1000 and waits briefly for the server's close, then aborts: a proxy in between sees a
     * proper close, and teardown never waits long on a server that does not answer.
     */
    @Override
    public void close() {
        if (ws == null) return;
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
        }
        closed.copy().orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
        ws.abort();
    }
}
