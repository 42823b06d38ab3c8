package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 3, invites (PROTOCOL.md §3): who makes them, the answer's shape, accepting (caller becomes
 * {@code member}, a {@code member} event is stored), and 404 for unknown, used up, expired and revoked codes.
 */
@Timeout(120)
class InvitesIT {
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;
    private static RoomLife life;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("invites"));
        rest = new Rest(node);
        life = new RoomLife(rest);
    }

    @Test
    void onlyTheOwnerAndAdminsMakeInvitesAndTheAnswerHasItsShape() {
        Rest.User owner = rest.register("iowner");
        Rest.User admin = rest.register("iadmin");
        Rest.User member = rest.register("imember");
        String room = rest.createRoom(owner, "private").path("id").asText();
        life.addMember(owner, room, admin);
        life.addMember(owner, room, member);
        life.setRole(owner, room, admin.name(), "admin").expect(200);

        long before = System.currentTimeMillis();
        JsonNode inv = life.createInvite(owner, room, 3600, 5).expect(201).json();
        String code = inv.path("code").asText();
        assertFalse(code.isEmpty(), () -> "code: " + inv);
        assertTrue(inv.path("url").asText().endsWith("/invite/" + code), () -> "url ends with /invite/{code}: " + inv);
        assertEquals(5, inv.path("maxUses").asInt(), () -> "maxUses: " + inv);
        long expiresAt = inv.path("expiresAt").asLong();
        assertTrue(inv.path("expiresAt").isIntegralNumber(), () -> "expiresAt is epoch ms: " + inv);
        assertTrue(expiresAt >= before + 3_595_000 && expiresAt <= System.currentTimeMillis() + 3_605_000,
                () -> "expiresAt = now + ttlSeconds: " + inv);

        assertEquals(node.origin() + "/invite/" + code, inv.path("url").asText(), "an absolute url on the address the caller used");
        Rest.Resp page = rest.getPlain("/invite/" + code).expect(200);
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                () -> "the invite url opens the web client: " + page.raw().headers());

        JsonNode byAdmin = life.createInvite(admin, room, null, null).expect(201).json();
        assertTrue(byAdmin.path("expiresAt").asLong() > System.currentTimeMillis(), () -> "a default ttl in the future: " + byAdmin);
        assertFalse(code.equals(byAdmin.path("code").asText()), "every invite has its own code");

        RoomLife.assertError(life.createInvite(member, room, null, null), 403, "forbidden");
        RoomLife.assertError(life.revokeInvite(member, room, code), 403, "forbidden");
        RoomLife.assertError(life.createInvite(owner, room, 0, null), 400, "bad_request");
        RoomLife.assertError(life.createInvite(owner, room, null, 0), 400, "bad_request");
        // the refused revoke left the code working
        Rest.User guest = rest.register("iguest");
        life.accept(guest, code).expect(200);
        // the admin revokes an invite of the owner
        life.revokeInvite(admin, room, code).expect(204);
        RoomLife.assertError(life.accept(rest.register("ilate"), code), 404, "not_found");
    }

    @Test
    void acceptingMakesTheCallerAMemberWithATimelineEvent() {
        Rest.User owner = rest.register("aowner");
        Rest.User guest = rest.register("aguest");
        String room = rest.createRoom(owner, "private").path("id").asText();
        String code = life.invite(owner, room, null, null);
        RoomLife.assertError(rest.getRoom(guest, room), 403, "forbidden");
        try (WsClient o = WsClient.of(node, owner)) {
            o.join(room);
            JsonNode accepted = life.accept(guest, code).expect(200).json();
            assertEquals(room, accepted.path("id").asText(), () -> "accept answers the room: " + accepted);
            assertEquals("private", accepted.path("visibility").asText(), accepted::toString);
            assertEquals(owner.name(), accepted.path("owner").asText(), accepted::toString);
            assertEquals("member", accepted.path("role").asText(), () -> "the caller's role: " + accepted);
            JsonNode event = RoomLife.awaitMember(o, room, guest.name(), "joined");
            RolesIT.assertMember(event, room, 2, guest.name(), guest.name(), "joined", "member?");
        }
        assertEquals("member", life.roles(owner, room).get(guest.name()));
        rest.getRoom(guest, room).expect(200);
        rest.history(guest, room, null, null).expect(200);
        assertTrue(listed(guest, room), "the private room is in the new member's listing");
        try (WsClient g = WsClient.of(node, guest)) {
            JsonNode joined = g.join(room);
            assertEquals(2, joined.path("seq").asLong(), () -> "the WebSocket join adds nothing: " + joined);
            assertEquals(3, RoomLife.say(g, room, "g-1", "thanks for the invite"), "a member may send");
        }
    }

    @Test
    void unknownCodeIs404() {
        Rest.User user = rest.register("unknown");
        RoomLife.assertError(life.accept(user, "no-such-invite-code"), 404, "not_found");
        Rest.User owner = rest.register("uowner");
        String room = rest.createRoom(owner, "private").path("id").asText();
        RoomLife.assertError(life.revokeInvite(owner, room, "no-such-invite-code"), 404, "not_found");
    }

    @Test
    void usedUpInviteIs404() {
        Rest.User owner = rest.register("sowner");
        String room = rest.createRoom(owner, "private").path("id").asText();
        String code = life.invite(owner, room, null, 2);
        List<Rest.User> users = List.of(rest.register("use"), rest.register("use"), rest.register("use"));
        life.accept(users.get(0), code).expect(200);
        life.accept(users.get(1), code).expect(200);
        RoomLife.assertError(life.accept(users.get(2), code), 404, "not_found");
        RoomLife.assertError(rest.getRoom(users.get(2), room), 403, "forbidden");
        assertEquals(3, life.roles(owner, room).size(), "owner and the two who got in");
    }

    @Test
    void concurrentAcceptsTakeExactlyMaxUses() throws Exception {
        Rest.User owner = rest.register("cowner");
        String room = rest.createRoom(owner, "private").path("id").asText();
        String code = life.invite(owner, room, null, 3);
        List<Rest.User> users = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) users.add(rest.register("crowd"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (Rest.User u : users) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return life.accept(u, code).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var f : answers) statuses.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(3, statuses.stream().filter(s -> s == 200).count(), () -> "statuses: " + statuses);
            assertEquals(5, statuses.stream().filter(s -> s == 404).count(), () -> "statuses: " + statuses);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, life.roles(owner, room).size(), "the owner and exactly three newcomers");
        assertEquals(4, rest.getRoom(owner, room).expect(200).json().path("seq").asLong(), "three member events after the creation");
    }

    @Test
    void expiredInviteIs404() {
        Rest.User owner = rest.register("eowner");
        String room = rest.createRoom(owner, "private").path("id").asText();
        JsonNode inv = life.createInvite(owner, room, 2, null).expect(201).json();
        String code = inv.path("code").asText();
        long expiresAt = inv.path("expiresAt").asLong();
        assertTrue(expiresAt <= System.currentTimeMillis() + 2_500, () -> "expires in 2 s: " + inv);
        life.accept(rest.register("early"), code).expect(200); // works before it expires

        // bounded wait past expiresAt (the node's and this JVM's clocks are the same machine's)
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() <= expiresAt + 100) {
            assertTrue(System.currentTimeMillis() < deadline, "expiresAt is within 10 s");
            NodeProcess.sleep(100);
        }
        Rest.User late = rest.register("late");
        RoomLife.assertError(life.accept(late, code), 404, "not_found");
        RoomLife.assertError(rest.getRoom(late, room), 403, "forbidden");
    }

    @Test
    void revokedInviteIs404() {
        Rest.User owner = rest.register("rvowner");
        String room = rest.createRoom(owner, "private").path("id").asText();
        String code = life.invite(owner, room, null, 10);
        String other = life.invite(owner, room, null, 10);
        life.accept(rest.register("before"), code).expect(200);
        life.revokeInvite(owner, room, code).expect(204);
        Rest.User after = rest.register("after");
        RoomLife.assertError(life.accept(after, code), 404, "not_found");
        RoomLife.assertError(rest.getRoom(after, room), 403, "forbidden");
        // revoking one code leaves the others working
        life.accept(after, other).expect(200);
        rest.getRoom(after, room).expect(200);
    }

    @Test
    void anInviteOfAPublicRoomWorksToo() {
        Rest.User owner = rest.register("puowner");
        Rest.User guest = rest.register("puguest");
        String room = rest.createPublicRoom(owner).path("id").asText();
        JsonNode accepted = life.accept(guest, life.invite(owner, room, null, 1)).expect(200).json();
        assertEquals("member", accepted.path("role").asText(), accepted::toString);
        assertEquals("member", life.roles(owner, room).get(guest.name()));
    }

    /**
     * Not written in PROTOCOL.md; what a Slack/Discord user expects: opening an invite to a room you are
     * already in changes nothing: no use taken, no role changed, no event.
     */
    @Test
    void acceptingARoomYouAreAlreadyInTakesNoUseAndChangesNoRole() {
        Rest.User owner = rest.register("downer");
        Rest.User member = rest.register("dmember");
        Rest.User newcomer = rest.register("dnew");
        String room = rest.createRoom(owner, "private").path("id").asText();
        life.addMember(owner, room, member);
        long head = rest.getRoom(owner, room).expect(200).json().path("seq").asLong();
        String code = life.invite(owner, room, null, 1);

        JsonNode again = life.accept(member, code).expect(200).json();
        assertEquals("member", again.path("role").asText(), again::toString);
        JsonNode byOwner = life.accept(owner, code).expect(200).json();
        assertEquals("owner", byOwner.path("role").asText(), () -> "the owner stays owner: " + byOwner);
        assertEquals(head, rest.getRoom(owner, room).expect(200).json().path("seq").asLong(), "no member event");

        life.accept(newcomer, code).expect(200); // the one use is still there
        assertEquals("member", life.roles(owner, room).get(newcomer.name()));
    }

    @Test
    void anInviteIsRevokedOnlyThroughItsOwnRoom() {
        Rest.User owner = rest.register("crowner");
        Rest.User other = rest.register("crother");
        String room = rest.createRoom(owner, "private").path("id").asText();
        String foreign = rest.createRoom(other, "private").path("id").asText();
        String code = life.invite(owner, room, null, 5);
        // the other room's owner names the code under his own room
        RoomLife.assertError(life.revokeInvite(other, foreign, code), 404, "not_found");
        Rest.User guest = rest.register("crguest");
        JsonNode accepted = life.accept(guest, code).expect(200).json();
        assertEquals(room, accepted.path("id").asText(), "the code still leads to its own room");
        RoomLife.assertError(rest.getRoom(guest, foreign), 403, "forbidden");
    }

    @Test
    void unknownRoomsAre404() {
        Rest.User user = rest.register("nouser");
        String missing = "nosuchroom000000";
        RoomLife.assertError(life.createInvite(user, missing, null, null), 404, "not_found");
        RoomLife.assertError(life.setRole(user, missing, user.name(), "admin"), 404, "not_found");
        RoomLife.assertError(life.removeMember(user, missing, user.name()), 404, "not_found");
    }

    private static boolean listed(Rest.User user, String room) {
        for (JsonNode r : rest.listRooms(user).expect(200).json().path("rooms")) {
            if (room.equals(r.path("id").asText())) return true;
        }
        return false;
    }
}
