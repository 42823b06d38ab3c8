package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 3, acceptance 3: after a restart of the node on the same data dir, roles, members, invites with their
 * remaining uses, and read marks are all still there. A graceful restart (SIGTERM, twice, with changes in
 * between), and {@code kill -9} right after the last ack (PROTOCOL.md §2.2: what was acked is never lost) on
 * embedded H2 and on PostgreSQL.
 */
@Timeout(240)
class RoomLifeRestartIT {
    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    /** What a room was made into before the restart, and what must come back. */
    private static final class Scenario {
        final NodeProcess node;
        final Rest rest;
        final RoomLife life;
        final Rest.User owner, admin, member, removed, u1, u2, u3, stranger;
        final String room;
        String twoUses, oneUse, revoked;
        long s1, s2, s3, s4;
        final Map<String, String> roles = new LinkedHashMap<>();
        final Map<String, Long> marks = new LinkedHashMap<>();

        Scenario(NodeProcess node) {
            this.node = node;
            rest = new Rest(node);
            life = new RoomLife(rest);
            owner = rest.register("zowner");
            admin = rest.register("zadmin");
            member = rest.register("zmember");
            removed = rest.register("zremoved");
            u1 = rest.register("zlater");
            u2 = rest.register("zlater");
            u3 = rest.register("zlater");
            stranger = rest.register("zstranger");
            room = rest.createRoom(owner, "private").path("id").asText();
        }

        /** Builds the room's state; {@code afterLastAck} runs right after the last ack (kill -9 there). */
        void build(Runnable afterLastAck) {
            twoUses = life.invite(owner, room, 3600, 2);
            life.accept(member, twoUses).expect(200); // one use left
            oneUse = life.invite(owner, room, 3600, 1);
            life.accept(admin, oneUse).expect(200); // used up
            life.setRole(owner, room, admin.name(), "admin").expect(200);
            life.addMember(admin, room, removed);
            life.removeMember(admin, room, removed.name()).expect(204);
            revoked = life.invite(admin, room, 3600, 5);
            life.revokeInvite(owner, room, revoked).expect(204);
            try (WsClient o = WsClient.of(node, owner); WsClient m = WsClient.of(node, member); WsClient a = WsClient.of(node, admin)) {
                o.join(room);
                m.join(room);
                a.join(room);
                s1 = RoomLife.say(o, room, "z-1", "one");
                s2 = RoomLife.say(o, room, "z-2", "two");
                s3 = RoomLife.say(o, room, "z-3", "three");
                s4 = RoomLife.say(o, room, "z-4", "four");
                assertEquals(s2, RoomLife.expectAck(m, RoomLife.readFrame(room, s2)).path("seq").asLong());
                assertEquals(s3, RoomLife.expectAck(m, RoomLife.readFrame(room, s3)).path("seq").asLong());
                assertEquals(s4, RoomLife.expectAck(a, RoomLife.readFrame(room, s4)).path("seq").asLong());
                afterLastAck.run();
            }
            marks.put(member.name(), s3);
            marks.put(admin.name(), s4);
            roles.put(owner.name(), "owner");
            roles.put(admin.name(), "admin");
            roles.put(member.name(), "member");
        }

        /** Everything of {@link #build} is back; leaves the room with one more message (head {@code s4 + 1}). */
        void assertAllBack() {
            assertState(s4);
            assertEquals("member", listedRole(member), "the private room is in the member's listing, as member");
            assertEquals("admin", listedRole(admin), "and in the admin's, as admin");
            RoomLife.assertError(rest.getRoom(removed, room), 403, "forbidden");
            RoomLife.assertError(rest.getRoom(stranger, room), 403, "forbidden");
            try (WsClient r = WsClient.of(node, removed)) {
                RoomLife.expectErrorFrame(r, WsClient.joinFrame(room, null), "forbidden");
            }
            // roles still act: the admin makes invites, the member does not, nor does the admin set roles
            life.createInvite(admin, room, null, null).expect(201);
            RoomLife.assertError(life.createInvite(member, room, null, null), 403, "forbidden");
            RoomLife.assertError(life.setRole(admin, room, member.name(), "admin"), 403, "forbidden");
            // invites: the two-use one works exactly once more; the used-up and revoked ones stay dead
            RoomLife.assertError(life.accept(u3, oneUse), 404, "not_found");
            RoomLife.assertError(life.accept(u3, revoked), 404, "not_found");
            life.accept(u1, twoUses).expect(200);
            RoomLife.assertError(life.accept(u2, twoUses), 404, "not_found");
            roles.put(u1.name(), "member");
            assertEquals(roles, life.roles(owner, room));
            // marks still only move forward
            try (WsClient m = WsClient.of(node, member)) {
                m.join(room);
                assertEquals(s3, RoomLife.expectAck(m, RoomLife.readFrame(room, s1)).path("seq").asLong(),
                        "a backward read after the restart keeps the stored mark");
            }
        }

        /** Roles over REST, and over a fresh {@code join}: head, {@code members[].role}, {@code reads}; then one more message. */
        void assertState(long head) {
            assertEquals(roles, life.roles(owner, room), "roles over REST");
            JsonNode got = rest.getRoom(owner, room).expect(200).json();
            assertEquals(head, got.path("seq").asLong(), () -> "head over REST: " + got);
            try (WsClient w = WsClient.of(node, member)) {
                JsonNode joined = w.join(room); // a private room: works for a member only
                assertEquals(head, joined.path("seq").asLong(), () -> "joined.seq: " + joined);
                assertEquals(roles, RoomLife.membersMap(joined.path("members"), "role"), () -> "joined.members: " + joined);
                Map<String, Long> reads = new LinkedHashMap<>();
                joined.path("reads").fields().forEachRemaining(e -> reads.put(e.getKey(), e.getValue().asLong()));
                assertEquals(marks, reads, () -> "joined.reads: " + joined);
                assertEquals(head + 1, RoomLife.say(w, room, "after-" + head, "the sequence goes on"));
            }
            List<JsonNode> history = life.history(owner, room);
            assertEquals(head + 1, history.size(), "history 1..head and the new message");
            for (int i = 0; i < history.size(); i++) assertEquals(i + 1, history.get(i).path("seq").asLong(), "no gap");
        }

        String listedRole(Rest.User user) {
            for (JsonNode r : rest.listRooms(user).expect(200).json().path("rooms")) {
                if (room.equals(r.path("id").asText())) return r.path("role").asText(null);
            }
            return null;
        }
    }

    @Test
    void rolesMembersInvitesAndReadMarksSurviveGracefulRestarts() {
        NodeProcess node = nodes.start(NodeProcess.builder("roomlife-restart"));
        Scenario sc = new Scenario(node);
        sc.build(() -> { });
        stop(node);
        System.out.println("[e2e] roomlife-restart: ready after SIGTERM in " + node.restart().toMillis() + " ms");
        sc.assertAllBack();

        // more changes, another restart
        long s5;
        try (WsClient m = WsClient.of(node, sc.member); WsClient x = WsClient.of(node, sc.u1)) {
            m.join(sc.room);
            x.join(sc.room);
            s5 = RoomLife.say(m, sc.room, "z-5", "five");
            assertEquals(s5, RoomLife.expectAck(x, RoomLife.readFrame(sc.room, s5)).path("seq").asLong());
        }
        sc.marks.put(sc.u1.name(), s5);
        sc.life.setRole(sc.owner, sc.room, sc.admin.name(), "member").expect(200);
        sc.roles.put(sc.admin.name(), "member");
        stop(node);
        System.out.println("[e2e] roomlife-restart: ready after the second SIGTERM in " + node.restart().toMillis() + " ms");
        sc.assertState(s5 + 1); // + the role change
        RoomLife.assertError(sc.life.createInvite(sc.admin, sc.room, null, null), 403, "forbidden");
        RoomLife.assertError(sc.life.accept(sc.rest.register("zlast"), sc.twoUses), 404, "not_found");
    }

    @Test
    void ackedRoomLifeChangesSurviveKill9OnEmbeddedH2() {
        NodeProcess node = nodes.start(NodeProcess.builder("roomlife-kill9-h2"));
        kill9RightAfterTheLastAck(node);
    }

    @Test
    void ackedRoomLifeChangesSurviveKill9OnPostgres() {
        TestDatabase db = nodes.postgres();
        NodeProcess node = nodes.start(NodeProcess.builder("roomlife-kill9-pg").postgres(db));
        kill9RightAfterTheLastAck(node);
    }

    private static void kill9RightAfterTheLastAck(NodeProcess node) {
        Scenario sc = new Scenario(node);
        sc.build(node::kill9);
        System.out.println("[e2e] " + node.name() + ": ready after kill -9 in " + node.restart().toMillis() + " ms");
        sc.assertAllBack();
    }

    private static void stop(NodeProcess node) {
        int exit = node.stop();
        assertTrue(exit == 0 || exit == 143, "the node exits on SIGTERM, code " + exit);
    }
}
