package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.e2e.RoomLife.T;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
 * Issue 3, {@code typing} and {@code read} (PROTOCOL.md §4): typing reaches the room's other users only, at
 * most once a second per user and room, and is never stored; read marks only move forward, are broadcast,
 * acked with the mark in force, and come back in a later {@code joined.reads}.
 */
@Timeout(120)
class TypingReadsIT {
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;
    private static RoomLife life;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("typingreads"));
        rest = new Rest(node);
        life = new RoomLife(rest);
    }

    private static Predicate<JsonNode> typing(String room, String user) {
        return n -> Json.isType(n, "typing") && room.equals(n.path("room").asText()) && user.equals(n.path("user").asText());
    }

    @Test
    void typingReachesOthersOnlyAndIsNeverStored() {
        Rest.User alice = rest.register("talice");
        Rest.User bob = rest.register("tbob");
        Rest.User carol = rest.register("tcarol");
        String room = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a1 = WsClient.of(node, alice); WsClient a2 = WsClient.of(node, alice);
             WsClient b = WsClient.of(node, bob); WsClient c = WsClient.of(node, carol)) {
            for (WsClient w : List.of(a1, a2, b, c)) w.join(room);
            long head = RoomLife.say(a1, room, "t-0", "hello");
            for (WsClient w : List.of(a1, a2, b, c)) RoomLife.awaitSeq(w, room, head);

            a1.send(RoomLife.typingFrame(room));
            for (WsClient other : List.of(b, c)) {
                JsonNode t = other.awaitMatching(typing(room, alice.name()), T);
                assertEquals("typing", t.path("type").asText());
                assertTrue(t.path("seq").isMissingNode(), () -> "typing is not sequenced: " + t);
            }
            // alice's own sockets, the one that typed and her other one, get nothing
            a1.expectNothing(n -> Json.isType(n, "typing"), Duration.ofMillis(500));
            a2.expectNothing(n -> Json.isType(n, "typing"), Duration.ofMillis(100));
            // no error, no reply of any kind to a typing frame
            a1.expectNothing(n -> Json.isType(n, "error"), Duration.ofMillis(100));

            assertEquals(head, rest.getRoom(alice, room).expect(200).json().path("seq").asLong(), "typing took no seq");
            for (JsonNode e : life.history(alice, room)) assertFalse(Json.isType(e, "typing"), () -> "typing in history: " + e);
            assertEquals(head, RoomLife.say(b, room, "t-1", "next") - 1, "the next event follows the message, no typing between");
        }
        // a later catch-up has no typing either
        try (WsClient d = WsClient.of(node, carol)) {
            d.join(room, 0L);
            List<JsonNode> catchUp = d.drain(Duration.ofMillis(500));
            assertFalse(catchUp.stream().anyMatch(n -> Json.isType(n, "typing")), () -> "catch-up: " + catchUp);
            assertTrue(catchUp.stream().anyMatch(n -> Json.isTimeline(n)), () -> "catch-up: " + catchUp);
        }
    }

    @Test
    void typingIsLimitedToOneASecondPerUserAndRoom() {
        Rest.User alice = rest.register("ralice");
        Rest.User bob = rest.register("rbob");
        String room1 = rest.createPublicRoom(alice).path("id").asText();
        String room2 = rest.createPublicRoom(alice).path("id").asText();
        try (WsClient a1 = WsClient.of(node, alice); WsClient a2 = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            for (String room : List.of(room1, room2)) {
                a1.join(room);
                a2.join(room);
                b.join(room);
            }
            b.drain(Duration.ofMillis(200));
            for (int i = 0; i < 5; i++) a1.send(RoomLife.typingFrame(room1));
            a2.send(RoomLife.typingFrame(room1)); // another socket of the same user: same limit
            b.send(RoomLife.typingFrame(room1));  // another user: own limit
            a1.send(RoomLife.typingFrame(room2)); // another room: own limit
            long first = b.awaitReceived(typing(room1, alice.name()), T).nanos();
            b.awaitMatching(typing(room2, alice.name()), T);
            a1.awaitMatching(typing(room1, bob.name()), T);
            // the extras were sent at once: they would have come at once; they are dropped
            b.expectNothing(typing(room1, alice.name()), Duration.ofMillis(500));
            b.expectNothing(typing(room2, alice.name()), Duration.ZERO);

            // a second after the first went out, alice's typing goes through again
            while (System.nanoTime() - first < Duration.ofMillis(1_100).toNanos()) NodeProcess.sleep(20);
            a2.send(RoomLife.typingFrame(room1));
            b.awaitMatching(typing(room1, alice.name()), T);
            b.expectNothing(typing(room1, alice.name()), Duration.ofMillis(300));
            a1.assertAlive();
        }
    }

    @Test
    void typingOnASocketThatHasNotJoinedIsForbidden() {
        Rest.User alice = rest.register("falice");
        Rest.User bob = rest.register("fbob");
        Rest.User stranger = rest.register("fstranger");
        String room = rest.createPublicRoom(alice).path("id").asText();
        String privateRoom = rest.createRoom(alice, "private").path("id").asText();
        try (WsClient b = WsClient.of(node, bob); WsClient a = WsClient.of(node, alice); WsClient s = WsClient.of(node, stranger)) {
            b.join(room);
            RoomLife.expectErrorFrame(a, RoomLife.typingFrame(room), "forbidden"); // the owner, but this socket has not joined
            RoomLife.expectErrorFrame(s, RoomLife.typingFrame(privateRoom), "forbidden");
            b.expectNothing(n -> Json.isType(n, "typing"), Duration.ofMillis(400));
            a.assertAlive();
        }
    }

    @Test
    void readMarksOnlyMoveForwardAndAppearInALaterJoin() {
        Rest.User alice = rest.register("malice");
        Rest.User bob = rest.register("mbob");
        String room = rest.createPublicRoom(alice).path("id").asText();
        List<Long> seqs = new ArrayList<>();
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob)) {
            JsonNode aj = a.join(room);
            assertTrue(aj.path("reads").isObject(), () -> "joined.reads is an object: " + aj);
            b.join(room);
            for (int i = 0; i < 5; i++) seqs.add(RoomLife.say(a, room, "r-" + i, "message " + i));
            long s1 = seqs.get(0), s3 = seqs.get(2), s5 = seqs.get(4);
            RoomLife.awaitSeq(b, room, s5);

            JsonNode ack = RoomLife.expectAck(b, RoomLife.readFrame(room, s3));
            assertEquals(room, ack.path("room").asText(), ack::toString);
            assertEquals(s3, ack.path("seq").asLong(), () -> "ack of read carries the mark in force: " + ack);
            assertTrue(ack.path("ts").isIntegralNumber(), ack::toString);
            assertTrue(ack.path("clientId").isMissingNode(), () -> "no clientId: " + ack);
            JsonNode seen = a.awaitMatching(n -> Json.isType(n, "read") && bob.name().equals(n.path("user").asText()), T);
            assertEquals(room, seen.path("room").asText(), seen::toString);
            assertEquals(s3, seen.path("seq").asLong(), seen::toString);

            // backwards: the mark stays
            JsonNode back = RoomLife.expectAck(b, RoomLife.readFrame(room, s1));
            assertEquals(s3, back.path("seq").asLong(), () -> "a backward read is acked with the mark in force: " + back);
            a.expectNothing(n -> Json.isType(n, "read") && bob.name().equals(n.path("user").asText())
                    && n.path("seq").asLong() != s3, Duration.ofMillis(400));

            assertEquals(s5, rest.getRoom(alice, room).expect(200).json().path("seq").asLong(), "reads are not timeline events");
            try (WsClient later = WsClient.of(node, alice)) {
                JsonNode joined = later.join(room);
                assertEquals(s3, joined.path("reads").path(bob.name()).asLong(), () -> "joined.reads: " + joined);
            }

            JsonNode fwd = RoomLife.expectAck(b, RoomLife.readFrame(room, s5));
            assertEquals(s5, fwd.path("seq").asLong(), fwd::toString);
            a.awaitMatching(n -> Json.isType(n, "read") && bob.name().equals(n.path("user").asText()) && n.path("seq").asLong() == s5, T);
            RoomLife.expectAck(a, RoomLife.readFrame(room, s1));
            try (WsClient later = WsClient.of(node, bob)) {
                JsonNode joined = later.join(room);
                JsonNode reads = joined.path("reads");
                assertEquals(s5, reads.path(bob.name()).asLong(), () -> "joined.reads: " + joined);
                assertEquals(s1, reads.path(alice.name()).asLong(), () -> "joined.reads has every member's mark: " + joined);
                assertEquals(2, reads.size(), () -> "only marks of members who read: " + joined);
            }
        }
    }

    /** {@code joined.reads} is every member's mark: one who left or was removed is no member, like in {@code members}. */
    @Test
    void aFormerMembersMarkIsNotInJoinedReads() {
        Rest.User alice = rest.register("xalice");
        Rest.User bob = rest.register("xbob");
        Rest.User carol = rest.register("xcarol");
        String room = rest.createPublicRoom(alice).path("id").asText();
        long head;
        try (WsClient a = WsClient.of(node, alice); WsClient b = WsClient.of(node, bob); WsClient c = WsClient.of(node, carol)) {
            a.join(room);
            b.join(room);
            c.join(room);
            head = RoomLife.say(a, room, "x-1", "read me");
            RoomLife.expectAck(b, RoomLife.readFrame(room, head));
            RoomLife.expectAck(c, RoomLife.readFrame(room, head));
        }
        life.removeMember(bob, room, bob.name()).expect(204);   // bob leaves
        life.removeMember(alice, room, carol.name()).expect(204); // carol is removed
        try (WsClient a = WsClient.of(node, alice)) {
            JsonNode joined = a.join(room);
            assertEquals(List.of(alice.name()), List.copyOf(RoomLife.membersMap(joined.path("members"), "role").keySet()),
                    () -> "members: " + joined);
            assertFalse(joined.path("reads").has(bob.name()), () -> "joined.reads of a member who left: " + joined);
            assertFalse(joined.path("reads").has(carol.name()), () -> "joined.reads of a removed member: " + joined);
        }
    }

    @Test
    void readMarkOfANonMemberIsRefused() {
        Rest.User alice = rest.register("nalice");
        Rest.User stranger = rest.register("nstranger");
        String room = rest.createRoom(alice, "private").path("id").asText();
        try (WsClient s = WsClient.of(node, stranger)) {
            RoomLife.expectErrorFrame(s, RoomLife.readFrame(room, 1), "forbidden");
        }
        try (WsClient a = WsClient.of(node, alice)) {
            JsonNode joined = a.join(room);
            assertFalse(joined.path("reads").has(stranger.name()), () -> "joined.reads: " + joined);
        }
    }
}
