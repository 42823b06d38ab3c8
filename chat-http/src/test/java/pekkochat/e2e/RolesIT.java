package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.e2e.RoomLife.T;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 3, room life: private rooms refused to non-members (REST and WebSocket), member events on the
 * timeline, role changes (owner only), removal by role order, and a removed member stopping at once.
 */
@Timeout(120)
class RolesIT {
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;
    private static RoomLife life;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("roles"));
        rest = new Rest(node);
        life = new RoomLife(rest);
    }

    @Test
    void privateRoomIsRefusedToANonMemberOnRestAndWebSocket() {
        Rest.User owner = rest.register("powner");
        Rest.User stranger = rest.register("stranger");
        JsonNode created = rest.createRoom(owner, "private");
        String room = created.path("id").asText();
        assertEquals("private", created.path("visibility").asText());
        assertEquals("owner", created.path("role").asText(), () -> "creator is owner: " + created);

        RoomLife.assertError(rest.getRoom(stranger, room), 403, "forbidden");
        RoomLife.assertError(rest.history(stranger, room, null, null), 403, "forbidden");
        for (JsonNode r : rest.listRooms(stranger).expect(200).json().path("rooms")) {
            assertFalse(room.equals(r.path("id").asText()), () -> "a private room is not listed to a non-member: " + r);
        }
        RoomLife.assertError(life.createInvite(stranger, room, null, null), 403, "forbidden");

        try (WsClient ws = WsClient.of(node, stranger)) {
            RoomLife.expectErrorFrame(ws, WsClient.joinFrame(room, null), "forbidden");
            RoomLife.expectErrorFrame(ws, WsClient.sendFrame(room, "s-1", "let me in"), "forbidden");
            ws.expectNothing(n -> room.equals(n.path("room").asText()) && !Json.isType(n, "error"), Duration.ofMillis(300));
            ws.assertAlive();
        }
        // nothing of the stranger reached the room
        List<JsonNode> events = life.history(owner, room);
        assertEquals(1, events.size(), () -> "only the creation event: " + events);
        assertEquals(Map.of(owner.name(), "owner"), life.roles(owner, room));
    }

    @Test
    void memberEventsAppearInTheTimelineWithSeqs() {
        Rest.User owner = rest.register("mowner");
        Rest.User bob = rest.register("mbob");
        Rest.User carol = rest.register("mcarol");
        Rest.User dave = rest.register("mdave");
        String room = rest.createPublicRoom(owner).path("id").asText();
        assertEquals(1, rest.getRoom(owner, room).expect(200).json().path("seq").asLong(), "creation is seq 1");

        List<JsonNode> live = new ArrayList<>();
        try (WsClient o = WsClient.of(node, owner)) {
            JsonNode joined = o.join(room);
            assertEquals(1, joined.path("seq").asLong(), () -> "the owner's join adds no event: " + joined);
            JsonNode creation = RoomLife.awaitSeq(o, room, 1);
            assertMember(creation, room, 1, owner.name(), owner.name(), "joined", "owner");

            try (WsClient b = WsClient.of(node, bob)) {
                JsonNode bj = b.join(room); // a public room's join makes bob a member
                assertEquals(2, bj.path("seq").asLong(), () -> "bob's join is seq 2: " + bj);
            }
            live.add(RoomLife.awaitSeq(o, room, 2));
            life.addMember(owner, room, carol); // invite accepted
            live.add(RoomLife.awaitSeq(o, room, 3));
            life.setRole(owner, room, bob.name(), "admin").expect(200);
            live.add(RoomLife.awaitSeq(o, room, 4));
            life.removeMember(bob, room, carol.name()).expect(204); // an admin removes a member
            live.add(RoomLife.awaitSeq(o, room, 5));
            try (WsClient d = WsClient.of(node, dave)) {
                d.join(room);
            }
            live.add(RoomLife.awaitSeq(o, room, 6));
            life.removeMember(dave, room, dave.name()).expect(204); // leaving
            live.add(RoomLife.awaitSeq(o, room, 7));
            // bob joining again, already a member, adds nothing
            try (WsClient b = WsClient.of(node, bob)) {
                assertEquals(7, b.join(room).path("seq").asLong());
            }
            o.expectNothing(n -> Json.isTimeline(n) && room.equals(n.path("room").asText()), Duration.ofMillis(300));
        }

        assertMember(live.get(0), room, 2, bob.name(), bob.name(), "joined", "member?");
        assertMember(live.get(1), room, 3, carol.name(), carol.name(), "joined", "member?");
        assertMember(live.get(2), room, 4, owner.name(), bob.name(), "role", "admin");
        assertMember(live.get(3), room, 5, bob.name(), carol.name(), "removed", null);
        assertMember(live.get(4), room, 6, dave.name(), dave.name(), "joined", "member?");
        assertMember(live.get(5), room, 7, dave.name(), dave.name(), "left", null);

        List<JsonNode> stored = life.history(owner, room);
        assertEquals(7, stored.size(), () -> "seven stored events: " + stored);
        for (int i = 0; i < 7; i++) assertEquals(i + 1, stored.get(i).path("seq").asLong(), "seqs 1..7 without gap");
        for (int i = 1; i < 7; i++) {
            assertEquals(live.get(i - 1), stored.get(i), "history holds the event as it was sent live");
        }
        assertEquals(7, rest.getRoom(owner, room).expect(200).json().path("seq").asLong());

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(owner.name(), "owner");
        expected.put(bob.name(), "admin");
        assertEquals(expected, life.roles(owner, room), "carol removed, dave left");
    }

    @Test
    void rolesAreSetByTheOwnerOnly() {
        Rest.User owner = rest.register("rowner");
        Rest.User bob = rest.register("rbob");
        Rest.User carol = rest.register("rcarol");
        Rest.User stranger = rest.register("rstranger");
        String room = rest.createRoom(owner, "private").path("id").asText();
        life.addMember(owner, room, bob);
        life.addMember(owner, room, carol);

        Rest.Resp promoted = life.setRole(owner, room, bob.name(), "admin").expect(200);
        assertEquals(bob.name(), promoted.json().path("user").asText(), promoted::body);
        assertEquals("admin", promoted.json().path("role").asText(), promoted::body);

        RoomLife.assertError(life.setRole(bob, room, carol.name(), "admin"), 403, "forbidden"); // admin
        RoomLife.assertError(life.setRole(carol, room, carol.name(), "admin"), 403, "forbidden"); // member, self
        RoomLife.assertError(life.setRole(stranger, room, carol.name(), "admin"), 403, "forbidden"); // non-member
        RoomLife.assertError(life.setRole(owner, room, stranger.name(), "admin"), 404, "not_found"); // non-member target
        RoomLife.assertError(life.setRole(owner, room, owner.name(), "member"), 400, "bad_request"); // the owner's role
        RoomLife.assertError(life.setRole(owner, room, carol.name(), "owner"), 400, "bad_request"); // owner is not given
        RoomLife.assertError(life.setRole(owner, room, carol.name(), "boss"), 400, "bad_request");

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(owner.name(), "owner");
        expected.put(bob.name(), "admin");
        expected.put(carol.name(), "member");
        assertEquals(expected, life.roles(carol, room));

        JsonNode demoted = life.setRole(owner, room, bob.name(), "member").expect(200).json();
        assertEquals("member", demoted.path("role").asText());
        assertEquals("member", life.roles(owner, room).get(bob.name()));
        // a demoted admin lost the admin's rights
        RoomLife.assertError(life.createInvite(bob, room, null, null), 403, "forbidden");
        RoomLife.assertError(life.removeMember(bob, room, carol.name()), 403, "forbidden");

        // exactly the two successful changes are on the timeline, nothing for the refused ones
        List<JsonNode> roleEvents = life.history(owner, room).stream().filter(e -> "role".equals(e.path("action").asText())).toList();
        assertEquals(2, roleEvents.size(), () -> "role events: " + roleEvents);
        assertEquals("admin", roleEvents.get(0).path("role").asText());
        assertEquals("member", roleEvents.get(1).path("role").asText());
    }

    @Test
    void removalFollowsTheRoleOrder() {
        Rest.User owner = rest.register("xowner");
        Rest.User admin1 = rest.register("xadmin");
        Rest.User admin2 = rest.register("xadmin");
        Rest.User m1 = rest.register("xmember");
        Rest.User m2 = rest.register("xmember");
        Rest.User m3 = rest.register("xmember");
        Rest.User stranger = rest.register("xstranger");
        String room = rest.createRoom(owner, "private").path("id").asText();
        for (Rest.User u : List.of(admin1, admin2, m1, m2, m3)) life.addMember(owner, room, u);
        life.setRole(owner, room, admin1.name(), "admin").expect(200);
        life.setRole(owner, room, admin2.name(), "admin").expect(200);

        record Case(String what, Rest.User actor, Rest.User target, int status) {
        }
        List<Case> cases = List.of(
                new Case("member removes member", m1, m2, 403),
                new Case("member removes admin", m1, admin1, 403),
                new Case("member removes owner", m1, owner, 403),
                new Case("admin removes admin", admin1, admin2, 403),
                new Case("admin removes owner", admin1, owner, 403),
                new Case("owner leaves", owner, owner, 403),
                new Case("non-member removes member", stranger, m3, 403),
                new Case("admin removes member", admin1, m1, 204),
                new Case("owner removes admin", owner, admin2, 204),
                new Case("member leaves", m2, m2, 204),
                new Case("admin leaves", admin1, admin1, 204));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Rest.Resp r = life.removeMember(c.actor(), room, c.target().name());
            if (r.status() != c.status()) failures.add(c.what() + ": expected " + c.status() + ", got " + r.status() + " " + r.body());
            else if (c.status() == 403 && !"forbidden".equals(r.json() == null ? null : r.json().path("error").path("code").asText())) {
                failures.add(c.what() + ": error code " + r.body());
            }
        }
        assertEquals(List.of(), failures, "removal matrix");

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(owner.name(), "owner");
        expected.put(m3.name(), "member");
        assertEquals(expected, life.roles(owner, room));
        // removed and left members are non-members of the private room now
        for (Rest.User gone : List.of(admin1, admin2, m1, m2)) RoomLife.assertError(rest.getRoom(gone, room), 403, "forbidden");

        List<JsonNode> removals = life.history(owner, room).stream()
                .filter(e -> Json.isType(e, "member") && !"joined".equals(e.path("action").asText())
                        && !"role".equals(e.path("action").asText()))
                .toList();
        assertEquals(4, removals.size(), () -> "one event per successful removal: " + removals);
        assertMember(removals.get(0), room, removals.get(0).path("seq").asLong(), admin1.name(), m1.name(), "removed", null);
        assertMember(removals.get(1), room, removals.get(1).path("seq").asLong(), owner.name(), admin2.name(), "removed", null);
        assertMember(removals.get(2), room, removals.get(2).path("seq").asLong(), m2.name(), m2.name(), "left", null);
        assertMember(removals.get(3), room, removals.get(3).path("seq").asLong(), admin1.name(), admin1.name(), "left", null);
    }

    @Test
    void aRemovedMemberStopsReceivingImmediately() {
        Rest.User owner = rest.register("kowner");
        Rest.User bob = rest.register("kbob");
        Rest.User carol = rest.register("kcarol");
        String room = rest.createRoom(owner, "private").path("id").asText();
        life.addMember(owner, room, bob);
        life.addMember(owner, room, carol);
        try (WsClient o = WsClient.of(node, owner);
             WsClient b1 = WsClient.of(node, bob);
             WsClient b2 = WsClient.of(node, bob);
             WsClient c = WsClient.of(node, carol)) {
            for (WsClient w : List.of(o, b1, b2, c)) w.join(room);
            long bobs = RoomLife.say(b1, room, "k-own", "bob's own message");
            long before = RoomLife.say(o, room, "k-before", "bob sees this");
            for (WsClient w : List.of(b1, b2, c)) RoomLife.awaitSeq(w, room, before);

            life.removeMember(owner, room, bob.name()).expect(204);
            long after = RoomLife.say(o, room, "k-after", "bob does not");
            assertEquals(before + 2, after, "removal event, then the message");

            // carol sees both; each of bob's sockets gets the removal event and nothing after it
            assertMember(RoomLife.awaitSeq(c, room, before + 1), room, before + 1, owner.name(), bob.name(), "removed", null);
            assertEquals("bob does not", RoomLife.awaitSeq(c, room, after).path("text").asText());
            for (WsClient b : List.of(b1, b2)) {
                assertMember(RoomLife.awaitSeq(b, room, before + 1), room, before + 1, owner.name(), bob.name(), "removed", null);
                b.expectNothing(n -> afterEvent(n, room, before + 1), Duration.ofMillis(700));
            }
            // typing and read of others do not reach him either
            c.send(RoomLife.typingFrame(room));
            RoomLife.expectAck(c, RoomLife.readFrame(room, after));
            b1.expectNothing(n -> afterEvent(n, room, before + 1), Duration.ofMillis(500));

            // presence frames carry no room: the owner's (bob shares no other room with him) must not reach bob either
            o.send(RoomLife.presenceFrame("away"));
            c.awaitMatching(n -> Json.isType(n, "presence") && owner.name().equals(n.path("user").asText()), T);
            for (WsClient b : List.of(b1, b2)) {
                b.expectNothing(n -> Json.isType(n, "presence") && owner.name().equals(n.path("user").asText()), Duration.ofMillis(300));
            }
            b1.send(RoomLife.presenceFrame("away"));
            b1.assertAlive();
            for (WsClient w : List.of(o, c)) {
                w.expectNothing(n -> Json.isType(n, "presence") && bob.name().equals(n.path("user").asText()), Duration.ofMillis(300));
            }
            // a fresh join no longer lists him
            try (WsClient c2 = WsClient.of(node, carol)) {
                JsonNode joined = c2.join(room);
                assertFalse(RoomLife.membersMap(joined.path("members"), "role").containsKey(bob.name()), () -> "members: " + joined);
            }

            RoomLife.expectErrorFrame(b1, WsClient.sendFrame(room, "k-bob", "still here?"), "forbidden");
            RoomLife.expectErrorFrame(b1, RoomLife.readFrame(room, after), "forbidden");
            RoomLife.expectErrorFrame(b1, RoomLife.editFrame(room, bobs, "his own, but he is out"), "forbidden");
            RoomLife.expectErrorFrame(b1, RoomLife.deleteFrame(room, bobs), "forbidden");
            RoomLife.expectErrorFrame(b2, WsClient.joinFrame(room, null), "forbidden");
            RoomLife.assertError(rest.getRoom(bob, room), 403, "forbidden");
            RoomLife.assertError(rest.history(bob, room, null, null), 403, "forbidden");
            b1.assertAlive();
            o.expectNothing(n -> Json.isType(n, "message") && "k-bob".equals(n.path("clientId").asText()), Duration.ofMillis(300));
        }
    }

    @Test
    void aLeavingMemberStopsReceivingImmediately() {
        Rest.User owner = rest.register("lowner");
        Rest.User bob = rest.register("lbob");
        String room = rest.createPublicRoom(owner).path("id").asText();
        try (WsClient o = WsClient.of(node, owner); WsClient b = WsClient.of(node, bob)) {
            o.join(room);
            long joinSeq = b.join(room).path("seq").asLong();
            life.removeMember(bob, room, bob.name()).expect(204);
            long after = RoomLife.say(o, room, "l-after", "gone");
            assertEquals(joinSeq + 2, after);
            assertMember(RoomLife.awaitSeq(b, room, joinSeq + 1), room, joinSeq + 1, bob.name(), bob.name(), "left", null);
            b.expectNothing(n -> afterEvent(n, room, joinSeq + 1), Duration.ofMillis(700));
            RoomLife.expectErrorFrame(b, WsClient.sendFrame(room, "l-bob", "hello?"), "forbidden");
            assertFalse(life.roles(owner, room).containsKey(bob.name()));

            // a public room: he may come back on the same socket, and then hears the room again
            JsonNode again = b.join(room);
            assertEquals(after + 1, again.path("seq").asLong(), () -> "joining again adds a member event: " + again);
            assertMember(RoomLife.awaitSeq(o, room, after + 1), room, after + 1, bob.name(), bob.name(), "joined", "member?");
            long back = RoomLife.say(o, room, "l-back", "welcome back");
            assertEquals("welcome back", RoomLife.awaitSeq(b, room, back).path("text").asText());
            assertEquals(back + 1, RoomLife.say(b, room, "l-bob-2", "thanks"));
        }
    }

    /** Anything of {@code room} but an error reply and the timeline up to {@code seq} (the catch-up and the removal). */
    static boolean afterEvent(JsonNode n, String room, long seq) {
        if (!room.equals(n.path("room").asText()) || Json.isType(n, "error")) return false;
        return !Json.isTimeline(n) || n.path("seq").asLong() > seq;
    }

    /** A {@code member} event as the brief and PROTOCOL.md §4 describe it; role "member?" = absent or "member". */
    static void assertMember(JsonNode e, String room, long seq, String user, String target, String action, String role) {
        assertEquals("member", e.path("type").asText(), () -> "member event: " + e);
        assertEquals(room, e.path("room").asText(), () -> "room: " + e);
        assertEquals(seq, e.path("seq").asLong(), () -> "seq: " + e);
        assertTrue(e.path("ts").isIntegralNumber(), () -> "ts: " + e);
        assertEquals(user, e.path("user").asText(), () -> "user (who did it): " + e);
        assertEquals(target, e.path("target").asText(), () -> "target: " + e);
        assertEquals(action, e.path("action").asText(), () -> "action: " + e);
        if ("member?".equals(role)) {
            assertTrue(e.path("role").isMissingNode() || e.path("role").isNull() || "member".equals(e.path("role").asText()),
                    () -> "role of a joined member: " + e);
        } else if (role != null) {
            assertEquals(role, e.path("role").asText(), () -> "role: " + e);
        }
    }
}
