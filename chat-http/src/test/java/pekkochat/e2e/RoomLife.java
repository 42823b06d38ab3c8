package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Room-life helpers (issue 3) over PROTOCOL.md §3 and §4: the REST calls {@link Rest} does not have
 * ({@code PUT}/{@code DELETE} members, invites, presence) and the {@code edit}/{@code delete}/{@code typing}/
 * {@code read}/{@code presence} frames. A separate file so that the shared harness stays untouched.
 */
public final class RoomLife {
    public static final Duration T = Duration.ofSeconds(10);
    private static final Set<String> REPLY_TYPES = Set.of("ack", "error", "joined", "left", "pong");

    private final Rest rest;

    public RoomLife(Rest rest) {
        this.rest = rest;
    }

    // ---- REST

    public Rest.Resp put(String path, String token, JsonNode body) {
        return rest.send(rest.request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
    }

    public Rest.Resp delete(String path, String token) {
        return rest.send(rest.request(path, token).DELETE());
    }

    /** {@code PUT /api/rooms/{id}/members/{user}} {@code {"role":role}}. */
    public Rest.Resp setRole(Rest.User actor, String room, String target, String role) {
        return put("/api/rooms/" + Rest.enc(room) + "/members/" + Rest.enc(target), actor.token(),
                Json.object().put("role", role));
    }

    /** {@code DELETE /api/rooms/{id}/members/{user}}. */
    public Rest.Resp removeMember(Rest.User actor, String room, String target) {
        return delete("/api/rooms/" + Rest.enc(room) + "/members/" + Rest.enc(target), actor.token());
    }

    /** {@code POST /api/rooms/{id}/invites}; null fields are left out. */
    public Rest.Resp createInvite(Rest.User actor, String room, Integer ttlSeconds, Integer maxUses) {
        ObjectNode body = Json.object();
        if (ttlSeconds != null) body.put("ttlSeconds", ttlSeconds);
        if (maxUses != null) body.put("maxUses", maxUses);
        return rest.post("/api/rooms/" + Rest.enc(room) + "/invites", actor.token(), body);
    }

    /** Creates an invite (201) and returns its code. */
    public String invite(Rest.User actor, String room, Integer ttlSeconds, Integer maxUses) {
        return createInvite(actor, room, ttlSeconds, maxUses).expect(201).json().path("code").asText();
    }

    public Rest.Resp revokeInvite(Rest.User actor, String room, String code) {
        return delete("/api/rooms/" + Rest.enc(room) + "/invites/" + Rest.enc(code), actor.token());
    }

    public Rest.Resp accept(Rest.User user, String code) {
        return rest.post("/api/invites/" + Rest.enc(code) + "/accept", user.token(), (String) null);
    }

    /** Makes {@code user} a member of {@code room} through a one-use invite of {@code inviter}. */
    public void addMember(Rest.User inviter, String room, Rest.User user) {
        String code = invite(inviter, room, null, 1);
        accept(user, code).expect(200);
    }

    /** {@code GET /api/presence?users=a,b}. */
    public Rest.Resp presence(Rest.User asker, String... users) {
        return rest.get("/api/presence?users=" + Rest.enc(String.join(",", users)), asker.token());
    }

    /** {@code user -> role} of {@code GET /api/rooms/{id}}'s {@code members}. */
    public Map<String, String> roles(Rest.User asker, String room) {
        JsonNode r = rest.getRoom(asker, room).expect(200).json();
        return membersMap(r.path("members"), "role");
    }

    /** {@code user -> field} of a {@code members} array (REST room or {@code joined}); fails on a duplicate user. */
    public static Map<String, String> membersMap(JsonNode members, String field) {
        assertTrue(members.isArray(), () -> "members is an array: " + members);
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode m : members) {
            String prev = out.put(m.path("user").asText(), m.path(field).isMissingNode() ? null : m.path(field).asText(null));
            assertEquals(null, prev, () -> "a user listed twice in members: " + members);
        }
        return out;
    }

    /** Every stored event of a room, ascending (pages of 200 backwards). */
    public List<JsonNode> history(Rest.User asker, String room) {
        List<JsonNode> all = new ArrayList<>();
        Long before = null;
        for (int page = 0; page < 50; page++) {
            JsonNode evs = rest.history(asker, room, before, 200).expect(200).json().path("events");
            if (evs.isEmpty()) break;
            List<JsonNode> chunk = new ArrayList<>();
            evs.forEach(chunk::add);
            all.addAll(0, chunk);
            before = chunk.get(0).path("seq").asLong();
            if (before <= 1) break;
        }
        return all;
    }

    /** Asserts the error shape of PROTOCOL.md §3: {@code {"error":{"code","message"}}} with this code. */
    public static void assertError(Rest.Resp r, int status, String code) {
        r.expect(status);
        assertTrue(r.json() != null, () -> "error body is JSON: " + r.body());
        assertEquals(code, r.json().path("error").path("code").asText(), () -> "error code: " + r.body());
        assertTrue(r.json().path("error").path("message").isTextual(), () -> "error message: " + r.body());
    }

    // ---- WebSocket frames (PROTOCOL.md §4)

    public static ObjectNode editFrame(String room, long target, String text) {
        return Json.object().put("type", "edit").put("room", room).put("target", target).put("text", text);
    }

    public static ObjectNode deleteFrame(String room, long target) {
        return Json.object().put("type", "delete").put("room", room).put("target", target);
    }

    public static ObjectNode typingFrame(String room) {
        return Json.object().put("type", "typing").put("room", room);
    }

    public static ObjectNode readFrame(String room, long seq) {
        return Json.object().put("type", "read").put("room", room).put("seq", seq);
    }

    public static ObjectNode presenceFrame(String status) {
        return Json.object().put("type", "presence").put("status", status);
    }

    /** Sends {@code frame} with a fresh {@code ref} and returns the reply ({@code ack}, {@code error}, …) echoing it. */
    public static JsonNode request(WsClient ws, ObjectNode frame) {
        String ref = ws.nextRef();
        ws.send(frame.put("ref", ref));
        return ws.awaitMatching(n -> REPLY_TYPES.contains(n.path("type").asText()) && ref.equals(n.path("ref").asText(null)), T);
    }

    /** Like {@link #request}, and asserts that the reply is an {@code error} with this code. */
    public static JsonNode expectErrorFrame(WsClient ws, ObjectNode frame, String code) {
        JsonNode reply = request(ws, frame);
        assertEquals("error", reply.path("type").asText(), () -> "reply to " + frame + ": " + reply);
        assertEquals(code, reply.path("code").asText(), () -> "error code, reply to " + frame + ": " + reply);
        return reply;
    }

    /** Like {@link #request}, and asserts that the reply is an {@code ack}. */
    public static JsonNode expectAck(WsClient ws, ObjectNode frame) {
        JsonNode reply = request(ws, frame);
        assertEquals("ack", reply.path("type").asText(), () -> "reply to " + frame + ": " + reply);
        return reply;
    }

    /** Sends a message, waits for its ack, returns the seq. */
    public static long say(WsClient ws, String room, String clientId, String text) {
        return ws.sendAndAck(room, clientId, text).path("seq").asLong();
    }

    /** The first timeline event of {@code room} with this seq (bounded). */
    public static JsonNode awaitSeq(WsClient ws, String room, long seq) {
        return ws.awaitMatching(n -> Json.isTimeline(n) && room.equals(n.path("room").asText())
                && n.path("seq").asLong() == seq, T);
    }

    /** A {@code member} event with these fields (bounded). */
    public static JsonNode awaitMember(WsClient ws, String room, String target, String action) {
        return ws.awaitMatching(n -> Json.isType(n, "member") && room.equals(n.path("room").asText())
                && target.equals(n.path("target").asText()) && action.equals(n.path("action").asText()), T);
    }
}
