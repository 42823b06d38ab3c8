package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §3: register, login, rooms, history paging, and the error shape. */
@Timeout(120)
class RestIT {
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("rest").jvm(NodeProcess.liftedRateLimit()));
        rest = new Rest(node);
    }

    /** {@code {"error":{"code","message"}}} with the given status and code. */
    private static void assertError(Rest.Resp r, int status, String code) {
        assertEquals(status, r.status(), () -> "status; body " + r.body());
        assertTrue(r.json() != null && r.json().path("error").isObject(), () -> "error body: " + r.body());
        assertEquals(code, r.json().path("error").path("code").asText(), () -> "error code: " + r.body());
        assertTrue(r.json().path("error").path("message").isTextual(), () -> "error message: " + r.body());
    }

    @Test
    void registerAndLogin() {
        String name = Rest.uniqueName("reg");
        Rest.Resp created = rest.tryRegister(name, Rest.PASSWORD).expect(201);
        assertFalse(created.json().path("token").asText().isEmpty(), () -> created.body());
        assertEquals(name, created.json().path("user").path("name").asText());

        assertError(rest.tryRegister(name, "another-password"), 409, "conflict");

        assertError(rest.tryRegister("ab", Rest.PASSWORD), 400, "bad_request");
        assertError(rest.tryRegister("x".repeat(33), Rest.PASSWORD), 400, "bad_request");
        assertError(rest.tryRegister("bad name!", Rest.PASSWORD), 400, "bad_request");
        assertError(rest.tryRegister(Rest.uniqueName("pw"), "short12"), 400, "bad_request");
        assertError(rest.tryRegister(Rest.uniqueName("pw"), "p".repeat(129)), 400, "bad_request");
        assertError(rest.post("/api/register", null, "{\"username\":\"" + Rest.uniqueName("nopw") + "\"}"), 400, "bad_request");
        assertError(rest.post("/api/register", null, "not json"), 400, "bad_request");
        // the bounds are valid
        String three = Long.toString(System.nanoTime() % 46_656 + 46_656, 36).substring(1); // 3 chars
        rest.tryRegister(three, Rest.PASSWORD).expect(201);
        String thirtyTwo = (Rest.uniqueName("b") + "_" + "x".repeat(32)).substring(0, 32);
        rest.tryRegister(thirtyTwo, "p".repeat(8)).expect(201);
        rest.tryRegister(Rest.uniqueName("long.pw-ok"), "p".repeat(128)).expect(201);

        Rest.Resp login = rest.tryLogin(name, Rest.PASSWORD).expect(200);
        assertFalse(login.json().path("token").asText().isEmpty());
        assertEquals(name, login.json().path("user").path("name").asText());
        // the login token works
        rest.get("/api/rooms", login.json().path("token").asText()).expect(200);

        assertError(rest.tryLogin(name, "wrong-password"), 401, "unauthorized");
        assertError(rest.tryLogin(Rest.uniqueName("nobody"), Rest.PASSWORD), 401, "unauthorized");
        assertError(rest.get("/api/rooms", null), 401, "unauthorized");
        assertError(rest.get("/api/rooms", "not.a.token"), 401, "unauthorized");
    }

    @Test
    void createListAndGetRooms() {
        Rest.User alice = rest.register("owner");
        Rest.User bob = rest.register("other");
        String publicName = "public " + Rest.uniqueName("p");
        Rest.Resp created = rest.tryCreateRoom(alice, publicName, "public").expect(201);
        JsonNode pub = created.json();
        for (String field : List.of("id", "name", "visibility", "owner", "createdAt", "seq", "role")) {
            assertTrue(pub.has(field), () -> "room has " + field + ": " + pub);
        }
        assertEquals(publicName, pub.path("name").asText());
        assertEquals("public", pub.path("visibility").asText());
        assertEquals(alice.name(), pub.path("owner").asText());
        assertEquals("owner", pub.path("role").asText());
        String pubId = pub.path("id").asText();

        JsonNode priv = rest.tryCreateRoom(alice, "secret " + Rest.uniqueName("s"), "private").expect(201).json();
        assertEquals("private", priv.path("visibility").asText());
        assertEquals("owner", priv.path("role").asText());
        String privId = priv.path("id").asText();

        assertError(rest.tryCreateRoom(alice, "x", "secretive"), 400, "bad_request");

        Set<String> bobSees = ids(rest.listRooms(bob).expect(200).json().path("rooms"));
        assertTrue(bobSees.contains(pubId), "a public room is listed for everyone");
        assertFalse(bobSees.contains(privId), "another user's private room is not listed");
        Set<String> aliceSees = ids(rest.listRooms(alice).expect(200).json().path("rooms"));
        assertTrue(aliceSees.containsAll(List.of(pubId, privId)), "the owner sees both of her rooms");
        for (JsonNode r : rest.listRooms(bob).json().path("rooms")) {
            if (pubId.equals(r.path("id").asText())) {
                assertTrue(r.path("role").isNull(), () -> "bob's role in alice's room is null: " + r);
            }
        }

        JsonNode got = rest.getRoom(alice, pubId).expect(200).json();
        assertEquals(pubId, got.path("id").asText());
        assertEquals(alice.name(), got.path("owner").asText());
        boolean ownerListed = false;
        for (JsonNode m : got.path("members")) {
            if (alice.name().equals(m.path("user").asText())) {
                ownerListed = true;
                assertEquals("owner", m.path("role").asText());
            }
        }
        assertTrue(ownerListed, () -> "members lists the owner: " + got);

        assertError(rest.getRoom(bob, privId), 403, "forbidden");
        assertError(rest.history(bob, privId, null, null), 403, "forbidden");
        assertError(rest.getRoom(alice, "no-such-room-" + Rest.uniqueName("x")), 404, "not_found");
    }

    @Test
    void historyPaging() {
        Rest.User owner = rest.register("hist");
        String room = rest.createPublicRoom(owner).path("id").asText();
        int n = 250;
        long head = 0;
        try (WsClient ws = WsClient.of(node, owner)) {
            ws.join(room);
            for (int i = 0; i < n; i++) ws.send(WsClient.sendFrame(room, "h-" + i, "history " + i));
            for (int i = 0; i < n; i++) head = Math.max(head, ws.await("ack", Duration.ofSeconds(15)).path("seq").asLong());
        }
        assertEquals(n + 1, head, "the room's creation event is seq 1, then the " + n + " messages");

        assertSeqs(events(rest.history(owner, room, null, null)), head - 49, head, "default: the newest 50");
        assertSeqs(events(rest.history(owner, room, null, 200)), head - 199, head, "limit=200");
        assertSeqs(events(rest.history(owner, room, null, 500)), head - 199, head, "limit is capped at 200");
        assertSeqs(events(rest.history(owner, room, 100L, 10)), 90, 99, "before=100&limit=10");
        assertSeqs(events(rest.history(owner, room, head + 1, 3)), head - 2, head, "before=head+1");

        List<JsonNode> first = events(rest.history(owner, room, 3L, 50));
        assertSeqs(first, 1, 2, "before=3");
        JsonNode creation = first.get(0);
        assertEquals("member", creation.path("type").asText(), () -> "the first event: " + creation);
        assertEquals("joined", creation.path("action").asText(), () -> "the first event: " + creation);
        assertEquals(owner.name(), creation.path("target").asText(), () -> "the first event: " + creation);
        assertEquals(owner.name(), creation.path("user").asText(), () -> "the first event: " + creation);
        JsonNode msg = first.get(1);
        assertEquals("message", msg.path("type").asText());
        assertEquals(room, msg.path("room").asText());
        assertEquals(owner.name(), msg.path("user").asText());
        assertEquals("h-0", msg.path("clientId").asText());
        assertEquals("history 0", msg.path("text").asText());
        assertTrue(msg.path("ts").isIntegralNumber(), () -> "ts: " + msg);

        // paging backwards by 60 visits every event once
        List<JsonNode> all = new ArrayList<>();
        Long before = null;
        for (int page = 0; page < 20; page++) {
            List<JsonNode> chunk = events(rest.history(owner, room, before, 60));
            if (chunk.isEmpty()) break;
            all.addAll(0, chunk);
            before = chunk.get(0).path("seq").asLong();
        }
        assertSeqs(all, 1, head, "all pages");
    }

    private static List<JsonNode> events(Rest.Resp r) {
        r.expect(200);
        assertTrue(r.json().path("events").isArray(), () -> "events: " + r.body());
        List<JsonNode> out = new ArrayList<>();
        r.json().path("events").forEach(out::add);
        return out;
    }

    private static void assertSeqs(List<JsonNode> events, long from, long to, String what) {
        assertEquals(to - from + 1, events.size(), () -> what + ": number of events, seqs " + events.stream()
                .map(e -> e.path("seq").asText()).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(from + i, events.get(i).path("seq").asLong(), what + ": ascending seq at " + i);
        }
    }

    private static Set<String> ids(JsonNode rooms) {
        assertTrue(rooms.isArray(), () -> "rooms: " + rooms);
        Set<String> out = new HashSet<>();
        rooms.forEach(r -> out.add(r.path("id").asText()));
        return out;
    }
}
