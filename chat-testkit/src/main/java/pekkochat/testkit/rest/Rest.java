package pekkochat.testkit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.LogSecrets;
import pekkochat.testkit.node.NodeProcess;

/** PROTOCOL.md §3 over {@code java.net.http.HttpClient}: one node's REST API. */
public final class Rest {
    public static final String PASSWORD = "correct-horse-42";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Rest(NodeProcess node) {
        this.base = "http://" + node.host() + ":" + node.httpPort();
    }

    /** An HTTP answer: status, raw body, and the body parsed as JSON when it is JSON (else null). */
    public record Resp(int status, String body, JsonNode json, HttpResponse<String> raw) {
        public Resp expect(int expected) {
            assertEquals(expected, status, () -> "HTTP status; body: " + Json.abbreviate(body));
            return this;
        }
    }

    /** A registered user and its token. */
    public record User(String name, String token) {
    }

    /** A username unique in this test JVM (PROTOCOL.md: 3–32 of [A-Za-z0-9_.-]). */
    public static String uniqueName(String prefix) {
        String name = prefix + "_" + RUN + COUNTER.incrementAndGet();
        return name.length() <= 32 ? name : name.substring(name.length() - 32);
    }

    public Resp get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Resp post(String path, String token, String body) {
        HttpRequest.Builder b = request(path, token)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b);
    }

    public Resp post(String path, String token, JsonNode body) {
        return post(path, token, body == null ? null : Json.write(body));
    }

    public Resp tryRegister(String username, String password) {
        LogSecrets.rememberPassword(password);
        ObjectNode body = Json.object().put("username", username).put("password", password);
        return post("/api/register", null, body);
    }

    public User register(String prefix) {
        String name = uniqueName(prefix);
        Resp r = tryRegister(name, PASSWORD).expect(201);
        return new User(name, r.json().path("token").asText());
    }

    public Resp tryLogin(String username, String password) {
        LogSecrets.rememberPassword(password);
        ObjectNode body = Json.object().put("username", username).put("password", password);
        return post("/api/login", null, body);
    }

    public Resp tryCreateRoom(User user, String name, String visibility) {
        ObjectNode body = Json.object().put("name", name).put("visibility", visibility);
        return post("/api/rooms", user.token(), body);
    }

    /** Creates a room (201) and returns it. */
    public JsonNode createRoom(User user, String visibility) {
        return tryCreateRoom(user, "room " + uniqueName("r"), visibility).expect(201).json();
    }

    public JsonNode createPublicRoom(User user) {
        return createRoom(user, "public");
    }

    public Resp listRooms(User user) {
        return get("/api/rooms", user.token());
    }

    public Resp getRoom(User user, String roomId) {
        return get("/api/rooms/" + enc(roomId), user.token());
    }

    /** {@code GET /api/rooms/{id}/messages}; {@code before} and {@code limit} may be null. */
    public Resp history(User user, String roomId, Long before, Integer limit) {
        StringBuilder q = new StringBuilder();
        if (before != null) q.append("before=").append(before);
        if (limit != null) q.append(q.length() > 0 ? "&" : "").append("limit=").append(limit);
        return get("/api/rooms/" + enc(roomId) + "/messages" + (q.length() > 0 ? "?" + q : ""), user.token());
    }

    /** {@code POST /api/ws-ticket} (201) and returns the ticket. */
    public String wsTicket(User user) {
        Resp r = post("/api/ws-ticket", user.token(), (String) null).expect(201);
        return r.json().path("ticket").asText();
    }

    public Resp getPlain(String path) {
        return get(path, null);
    }

    /** A request to this node, with the bearer token when given, for calls this class has no method for. */
    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    public Resp send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = null;
            String body = r.body();
            if (body != null && !body.isBlank()) {
                try {
                    json = Json.MAPPER.readTree(body);
                } catch (IOException notJson) {
                    json = null;
                }
            }
            rememberSecrets(json);
            return new Resp(r.statusCode(), body, json, r);
        } catch (IOException e) {
            throw new AssertionError("HTTP call failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The secrets of PROTOCOL.md §3's answers: a session's token, a socket ticket, an invite's code. */
    private static void rememberSecrets(JsonNode json) {
        if (json == null || !json.isObject()) return;
        LogSecrets.rememberToken(json.path("token").asText(null));
        LogSecrets.rememberToken(json.path("ticket").asText(null));
        if (json.has("url")) LogSecrets.rememberToken(json.path("code").asText(null));
    }

    /** URL-encodes a path segment or query value. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
