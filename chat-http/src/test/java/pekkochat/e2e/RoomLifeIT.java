package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PROTOCOL.md §3–4 room life: edit/delete, read marks, typing, presence, invites, roles. */
@Timeout(90)
class RoomLifeIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = NodeProcess.builder("roomlife").start();
        rest = new Rest(node);
    }

    @AfterAll
    static void stopNode() {
        if (node != null) node.close();
    }

    private static ObjectNode frame(String type, String room) {
        return Json.object().put("type", type).put("room", room);
    }

    private static JsonNode reply(WsClient ws, ObjectNode frame) {
        String ref = ws.nextRef();
        ws.send(frame.put("ref", ref));
        return ws.awaitMatching(n -> ref.equals(n.path("ref").asText(null)), T);
    }

    private static JsonNode awaitEvent(WsClient ws, String type, long seq) {
        return ws.awaitMatching(n -> Json.isType(n, type) && n.path("seq").asLong() == seq, T);
    }

    @Test
    void editAndDeleteAreSequencedAndOnlyForTheAuthorOrOwner() {
        Rest.User alice = rest.register("author");
        Rest.User bob = rest.register("member");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            b.join(room);
            long bobsMember = b.awaitMatching(n -> Json.isType(n, "member") && bob.name().equals(n.path("target").asText()), T)
                    .path("seq").asLong();
            long s = a.sendAndAck(room, "e-1", "tpyo").path("seq").asLong();
            assertEquals(bobsMember + 1, s);

            JsonNode refused = reply(b, frame("edit", room).put("target", s).put("text", "not mine"));
            assertEquals("error", refused.path("type").asText(), () -> "another user's edit: " + refused);
            assertEquals("forbidden", refused.path("code").asText(), () -> "another user's edit: " + refused);
            JsonNode refusedDelete = reply(b, frame("delete", room).put("target", s));
            assertEquals("forbidden", refusedDelete.path("code").asText(), () -> "a member deleting another's message: " + refusedDelete);

            a.send(frame("edit", room).put("target", s).put("text", "typo"));
            for (WsClient ws : List.of(a, b)) {
                JsonNode edited = awaitEvent(ws, "edited", s + 1);
                assertEquals(s, edited.path("target").asLong(), () -> "edited: " + edited);
                assertEquals("typo", edited.path("text").asText());
                assertEquals(alice.name(), edited.path("user").asText());
                assertEquals(room, edited.path("room").asText());
                assertTrue(edited.path("ts").isIntegralNumber(), () -> "edited: " + edited);
            }
            long t = b.sendAndAck(room, "e-2", "bob's").path("seq").asLong();
            assertEquals(s + 2, t);
            a.send(frame("delete", room).put("target", t)); // the owner may delete anyone's message
            for (WsClient ws : List.of(a, b)) {
                JsonNode deleted = awaitEvent(ws, "deleted", s + 3);
                assertEquals(t, deleted.path("target").asLong(), () -> "deleted: " + deleted);
                assertEquals(alice.name(), deleted.path("user").asText());
            }
            JsonNode missing = reply(a, frame("edit", room).put("target", 999_999).put("text", "x"));
            assertEquals("not_found", missing.path("code").asText(), () -> "edit of no event: " + missing);
        }
        List<JsonNode> history = new ArrayList<>();
        rest.history(alice, room, null, null).expect(200).json().path("events").forEach(history::add);
        List<String> types = history.stream().map(e -> e.path("type").asText()).toList();
        assertEquals(List.of("member", "member", "message", "edited", "message", "deleted"), types,
                () -> "the timeline as stored: " + history);
    }

    @Test
    void readMarksAreStoredForwardOnlyAndBroadcast() {
        Rest.User alice = rest.register("writer");
        Rest.User bob = rest.register("reader");
        String room = rest.createPublicRoom(alice).path("id").asText();
        long s;
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            b.join(room);
            s = a.sendAndAck(room, "r-1", "read me").path("seq").asLong();
            a.sendAndAck(room, "r-2", "and me");
            b.send(frame("read", room).put("seq", s));
            JsonNode read = a.awaitMatching(n -> Json.isType(n, "read"), T);
            assertEquals(room, read.path("room").asText());
            assertEquals(bob.name(), read.path("user").asText());
            assertEquals(s, read.path("seq").asLong());
            b.send(frame("read", room).put("seq", s - 1)); // backwards: ignored
            b.assertAlive();
        }
        try (WsClient b = WsClient.of(node, bob)) {
            JsonNode joined = b.join(room);
            assertEquals(s, joined.path("reads").path(bob.name()).asLong(), () -> "the stored read mark: " + joined);
        }
    }

    @Test
    void typingReachesOthersAndIsNotStored() {
        Rest.User alice = rest.register("typist");
        Rest.User bob = rest.register("watcher");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            a.join(room);
            long head = b.join(room).path("seq").asLong();
            a.send(frame("typing", room));
            JsonNode typing = b.await("typing", T);
            assertEquals(room, typing.path("room").asText());
            assertEquals(alice.name(), typing.path("user").asText());
            assertFalse(typing.has("seq"), () -> "typing is not sequenced: " + typing);
            a.expectNothing(n -> Json.isType(n, "typing"), Duration.ofMillis(300));
            assertEquals(head, rest.getRoom(alice, room).expect(200).json().path("seq").asLong(), "typing stores nothing");
        }
    }

    @Test
    void presenceOnlineAwayOffline() {
        Rest.User alice = rest.register("present");
        Rest.User bob = rest.register("away");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a = WsClient.of(node, alice)) {
            a.join(room);
            try (WsClient b = WsClient.of(node, bob)) {
                b.join(room);
                b.send(Json.object().put("type", "presence").put("status", "away"));
                JsonNode away = a.awaitMatching(n -> Json.isType(n, "presence") && bob.name().equals(n.path("user").asText())
                        && "away".equals(n.path("status").asText()), Duration.ofSeconds(1));
                assertEquals("away", away.path("status").asText());
                JsonNode p = rest.get("/api/presence?users=" + alice.name() + "," + bob.name(), alice.token()).expect(200).json();
                assertEquals("online", p.path(alice.name()).asText(), () -> "presence: " + p);
                assertEquals("away", p.path(bob.name()).asText(), () -> "presence: " + p);
            }
            // bob's last socket closed: offline within 1 s
            a.awaitMatching(n -> Json.isType(n, "presence") && bob.name().equals(n.path("user").asText())
                    && "offline".equals(n.path("status").asText()), Duration.ofSeconds(2));
            JsonNode p = rest.get("/api/presence?users=" + bob.name(), alice.token()).expect(200).json();
            assertEquals("offline", p.path(bob.name()).asText(), () -> "presence: " + p);
        }
    }

    @Test
    void invitesAdmitToAPrivateRoomUntilUsedUpOrRevoked() {
        Rest.User owner = rest.register("host");
        Rest.User carol = rest.register("guest");
        Rest.User dave = rest.register("guest");
        Rest.User eve = rest.register("guest");
        String room = rest.createRoom(owner, "private").path("id").asText();

        assertEquals(403, rest.post("/api/rooms/" + room + "/invites", carol.token(), "{}").status(), "a non-member invites");
        JsonNode once = rest.post("/api/rooms/" + room + "/invites", owner.token(), "{\"maxUses\":1}").expect(201).json();
        for (String f : List.of("code", "url", "expiresAt", "maxUses")) assertTrue(once.has(f), () -> "invite has " + f + ": " + once);
        assertEquals(1, once.path("maxUses").asInt());
        String code = once.path("code").asText();

        JsonNode admitted = rest.post("/api/invites/" + code + "/accept", carol.token(), (String) null).expect(200).json();
        assertEquals(room, admitted.path("id").asText());
        assertEquals("member", admitted.path("role").asText());
        assertEquals(404, rest.post("/api/invites/" + code + "/accept", dave.token(), (String) null).status(), "used up");
        try (WsClient c = WsClient.of(node, carol)) {
            c.join(room);
        }

        String many = rest.post("/api/rooms/" + room + "/invites", owner.token(), "{}").expect(201).json().path("code").asText();
        assertEquals(204, rest.delete("/api/rooms/" + room + "/invites/" + many, owner.token()).status());
        assertEquals(404, rest.post("/api/invites/" + many + "/accept", eve.token(), (String) null).status(), "revoked");
        assertEquals(404, rest.post("/api/invites/no-such-code/accept", eve.token(), (String) null).status(), "unknown");
        assertEquals(403, rest.getRoom(eve, room).status(), "eve never got in");
    }

    @Test
    void rolesAreSetByTheOwnerAndRemovalIsATimelineEvent() {
        Rest.User owner = rest.register("boss");
        Rest.User bob = rest.register("deputy");
        Rest.User carol = rest.register("crew");
        String room = rest.createPublicRoom(owner).path("id").asText();
        try (WsClient o = WsClient.of(node, owner); WsClient b = WsClient.of(node, bob); WsClient c = WsClient.of(node, carol)) {
            o.join(room);
            b.join(room);
            c.join(room);
            assertEquals(403, rest.put("/api/rooms/" + room + "/members/" + carol.name(), bob.token(), "{\"role\":\"admin\"}").status(),
                    "a member cannot give roles");
            rest.put("/api/rooms/" + room + "/members/" + bob.name(), owner.token(), "{\"role\":\"admin\"}").expect(200);
            JsonNode role = o.awaitMatching(n -> Json.isType(n, "member") && "role".equals(n.path("action").asText()), T);
            assertEquals(bob.name(), role.path("target").asText());
            assertEquals("admin", role.path("role").asText());

            assertEquals(204, rest.delete("/api/rooms/" + room + "/members/" + carol.name(), bob.token()).status(),
                    "an admin removes a member");
            JsonNode removed = c.awaitMatching(n -> Json.isType(n, "member") && "removed".equals(n.path("action").asText()), T);
            assertEquals(carol.name(), removed.path("target").asText());
            assertEquals(bob.name(), removed.path("user").asText());
            o.sendAndAck(room, "after-removal", "carol is gone");
            c.expectNothing(n -> Json.isType(n, "message"), Duration.ofMillis(500));
            assertEquals(403, rest.delete("/api/rooms/" + room + "/members/" + owner.name(), bob.token()).status(),
                    "an admin cannot remove the owner");
        }
        boolean carolListed = false;
        for (JsonNode m : rest.getRoom(owner, room).expect(200).json().path("members")) {
            carolListed |= carol.name().equals(m.path("user").asText());
        }
        assertFalse(carolListed, "a removed member is no longer listed");
    }
}
