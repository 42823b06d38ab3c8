package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real WebSocket client ({@code java.net.http.WebSocket}) for PROTOCOL.md §4.
 *
 * <p>Text frames are joined until {@code last} and split on {@code \n}; every JSON object lands in a
 * queue with the time it arrived. Reading is a selective receive: {@link #awaitMatching} keeps what it
 * skips, in order, for later calls, so nothing is lost. Consume one client from one thread.
 */
public final class WsClient implements AutoCloseable {

    /** One JSON object of a server frame, and when its frame was complete (System.nanoTime). */
    public record Received(JsonNode json, long nanos) {
    }

    /** How the socket ended: close status and reason, or the transport error. */
    public record Closed(int status, String reason, Throwable error) {
    }

    /** The upgrade was refused with this HTTP status. */
    public static final class UpgradeRefused extends RuntimeException {
        public final int status;

        UpgradeRefused(int status, Throwable cause) {
            super("WebSocket upgrade refused with HTTP " + status, cause);
            this.status = status;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    private final List<Received> stash = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final List<String> binaryFrames = new ArrayList<>();
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

    /** Opens a socket; throws {@link UpgradeRefused} if the server answers the upgrade with an HTTP status. */
    public static WsClient connect(URI uri, Map<String, String> headers) {
        WsClient c = new WsClient(uri.getRawQuery() == null ? "ws" : uri.getRawQuery().replaceAll("=.*", ""));
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        headers.forEach(b::header);
        try {
            c.ws = b.buildAsync(uri, c.new Listener()).get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            return c;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof WebSocketHandshakeException)) cause = cause.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                throw new UpgradeRefused(h.getResponse().statusCode(), h);
            }
            throw new AssertionError("WebSocket connect to " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("WebSocket connect to " + uri + " timed out", e);
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

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                long now = System.nanoTime();
                String frame = text.toString();
                text.setLength(0);
                for (String line : frame.split("\n")) {
                    if (line.isBlank()) continue;
                    JsonNode node;
                    try {
                        node = Json.MAPPER.readTree(line);
                    } catch (Exception e) {
                        node = Json.object().put("type", "__unparseable").put("raw", line);
                    }
                    queue.add(new Received(node, now));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            synchronized (binaryFrames) {
                binaryFrames.add(data.remaining() + " bytes");
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
    public synchronized void send(ObjectNode frame) {
        sendRaw(Json.write(frame));
    }

    public synchronized void sendRaw(String text) {
        await(ws.sendText(text, true), "sendText");
    }

    public synchronized void sendBinary(byte[] bytes) {
        await(ws.sendBinary(ByteBuffer.wrap(bytes), true), "sendBinary");
    }

    private static void await(CompletableFuture<?> f, String what) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within 20 s", e);
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

    // ---- receiving (bounded)

    /** The next object, skipped ones first; fails after the timeout. */
    public JsonNode next(Duration timeout) {
        return nextReceived(timeout).json();
    }

    public Received nextReceived(Duration timeout) {
        if (!stash.isEmpty()) return stash.remove(0);
        Received r = poll(System.nanoTime() + timeout.toNanos());
        if (r == null) throw new AssertionError("nothing received within " + timeout);
        return r;
    }

    public JsonNode await(String type, Duration timeout) {
        return awaitMatching(n -> Json.isType(n, type), timeout);
    }

    public JsonNode awaitMatching(Predicate<JsonNode> p, Duration timeout) {
        return awaitReceived(p, timeout).json();
    }

    /** The first object matching {@code p}; the ones before it stay for later calls. */
    public Received awaitReceived(Predicate<JsonNode> p, Duration timeout) {
        for (Iterator<Received> it = stash.iterator(); it.hasNext(); ) {
            Received r = it.next();
            if (p.test(r.json())) {
                it.remove();
                return r;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received r = poll(deadline);
            if (r == null) {
                throw new AssertionError("no matching frame within " + timeout + "; unmatched so far ("
                        + stash.size() + "): " + summary(stash) + closedNote());
            }
            if (p.test(r.json())) return r;
            stash.add(r);
        }
    }

    /** Fails if an object matching {@code p} arrives (or is already waiting) within {@code d}. */
    public void expectNothing(Predicate<JsonNode> p, Duration d) {
        for (Received r : stash) {
            if (p.test(r.json())) throw new AssertionError("unexpected frame: " + r.json());
        }
        long deadline = System.nanoTime() + d.toNanos();
        while (true) {
            Received r = poll(deadline);
            if (r == null) return;
            if (p.test(r.json())) throw new AssertionError("unexpected frame: " + r.json());
            stash.add(r);
        }
    }

    public void expectNothing(Duration d) {
        expectNothing(n -> true, d);
    }

    /** Everything received so far and not consumed, in order (waits {@code quiet} for stragglers). */
    public List<JsonNode> drain(Duration quiet) {
        List<JsonNode> out = new ArrayList<>();
        stash.forEach(r -> out.add(r.json()));
        stash.clear();
        long deadline = System.nanoTime() + quiet.toNanos();
        Received r;
        while ((r = poll(deadline)) != null) out.add(r.json());
        return out;
    }

    private Received poll(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return queue.poll();
        try {
            return queue.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- closing

    public CompletableFuture<Closed> closedFuture() {
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

    public List<String> binaryFrames() {
        synchronized (binaryFrames) {
            return List.copyOf(binaryFrames);
        }
    }

    private String closedNote() {
        return closed.isDone() ? "; socket closed: " + closed.join() : "";
    }

    private static String summary(List<Received> rs) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Received r : rs) {
            if (shown++ == 10) {
                sb.append(" ...");
                break;
            }
            sb.append(Json.abbreviate(r.json().toString())).append(' ');
        }
        return sb.toString();
    }

    /** Aborts the socket (no close handshake): teardown never waits on a server. */
    @Override
    public void close() {
        if (ws != null) ws.abort();
    }
}
