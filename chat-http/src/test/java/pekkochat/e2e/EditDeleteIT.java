package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 3, {@code edit} and {@code delete} (PROTOCOL.md §4): the permission matrix (author, other member,
 * admin, owner, non-member), the {@code edited}/{@code deleted} event to every subscriber, the {@code ack}
 * {@code {room,seq,ts,ref}} to the sender, and {@code not_found} for missing and deleted targets.
 */
@Timeout(120)
class EditDeleteIT {
    private static final AtomicInteger IDS = new AtomicInteger();

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;
    private static RoomLife life;
    private static String room;
    private static Map<String, Rest.User> users; // by role in the matrix
    private static Map<String, WsClient> sockets; // by role in the matrix
    private static WsClient author;

    @BeforeAll
    static void setUp() {
        node = nodes.start(NodeProcess.builder("editdelete"));
        rest = new Rest(node);
        life = new RoomLife(rest);
        Rest.User owner = rest.register("eowner");
        Rest.User admin = rest.register("eadmin");
        Rest.User writer = rest.register("eauthor");
        Rest.User other = rest.register("eother");
        Rest.User stranger = rest.register("estranger");
        room = rest.createPublicRoom(owner).path("id").asText();
        users = Map.of("owner", owner, "admin", admin, "author", writer, "other member", other, "non-member", stranger);
        sockets = Map.of(
                "owner", WsClient.of(node, owner),
                "admin", WsClient.of(node, admin),
                "author", WsClient.of(node, writer),
                "other member", WsClient.of(node, other),
                "non-member", WsClient.of(node, stranger));
        for (String who : List.of("owner", "admin", "author", "other member")) sockets.get(who).join(room);
        life.setRole(owner, room, admin.name(), "admin").expect(200);
        author = sockets.get("author");
    }

    @AfterAll
    static void tearDown() {
        if (sockets != null) sockets.values().forEach(WsClient::close);
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("edit", "author", true),
                Arguments.of("edit", "other member", false),
                Arguments.of("edit", "admin", false),
                Arguments.of("edit", "owner", false),
                Arguments.of("edit", "non-member", false),
                Arguments.of("delete", "author", true),
                Arguments.of("delete", "other member", false),
                Arguments.of("delete", "admin", true),
                Arguments.of("delete", "owner", true),
                Arguments.of("delete", "non-member", false));
    }

    @ParameterizedTest(name = "{0} by {1}: allowed={2}")
    @MethodSource("matrix")
    void permissionMatrix(String op, String actorRole, boolean allowed) {
        String cid = "m-" + IDS.incrementAndGet();
        long target = RoomLife.say(author, room, cid, "original " + cid);
        for (String who : List.of("owner", "admin", "author", "other member")) RoomLife.awaitSeq(sockets.get(who), room, target);

        WsClient actor = sockets.get(actorRole);
        String newText = "edited by " + actorRole + " " + cid;
        ObjectNode frame = op.equals("edit") ? RoomLife.editFrame(room, target, newText) : RoomLife.deleteFrame(room, target);
        String eventType = op.equals("edit") ? "edited" : "deleted";
        JsonNode reply = RoomLife.request(actor, frame);
        String ref = frame.path("ref").asText();

        if (!allowed) {
            assertEquals("error", reply.path("type").asText(), () -> op + " by " + actorRole + " must be refused: " + reply);
            assertEquals("forbidden", reply.path("code").asText(), () -> "error code: " + reply);
            for (WsClient w : sockets.values()) {
                w.expectNothing(n -> Json.isType(n, eventType) && n.path("target").asLong() == target, Duration.ofMillis(200));
            }
            assertEquals(target, rest.getRoom(owner(), room).expect(200).json().path("seq").asLong(),
                    "a refused " + op + " stores nothing");
            JsonNode stored = storedAt(target);
            assertEquals("original " + cid, stored.path("text").asText(), "the message is unchanged");
            return;
        }

        assertEquals("ack", reply.path("type").asText(), () -> op + " by " + actorRole + " must be allowed: " + reply);
        assertEquals(room, reply.path("room").asText(), reply::toString);
        assertEquals(ref, reply.path("ref").asText(), reply::toString);
        assertTrue(reply.path("seq").isIntegralNumber() && reply.path("ts").isIntegralNumber(), reply::toString);
        assertTrue(reply.path("clientId").isMissingNode(), () -> "an edit/delete ack has no clientId: " + reply);
        long seq = reply.path("seq").asLong();
        assertEquals(target + 1, seq, "the " + eventType + " event is the room's next seq");

        JsonNode first = null;
        for (String who : List.of("owner", "admin", "author", "other member")) {
            JsonNode e = RoomLife.awaitSeq(sockets.get(who), room, seq);
            assertEquals(eventType, e.path("type").asText(), () -> "event at " + seq + ": " + e);
            assertEquals(room, e.path("room").asText(), e::toString);
            assertEquals(target, e.path("target").asLong(), e::toString);
            assertEquals(users.get(actorRole).name(), e.path("user").asText(), () -> "the event's user is who did it: " + e);
            assertEquals(reply.path("ts").asLong(), e.path("ts").asLong(), () -> "ack ts = event ts: " + e);
            if (op.equals("edit")) assertEquals(newText, e.path("text").asText(), e::toString);
            if (first == null) first = e;
            assertEquals(first, e, "every subscriber gets the same event");
        }
        assertEquals(first, storedAt(seq), "the stored event is the live one");
        // the original stays in the history as it was (the edit/delete is its own event)
        assertEquals("original " + cid, storedAt(target).path("text").asText());
    }

    @Test
    void missingAndDeletedTargetsAreNotFound() {
        WsClient ownerWs = sockets.get("owner");
        long head = rest.getRoom(owner(), room).expect(200).json().path("seq").asLong();
        RoomLife.expectErrorFrame(author, RoomLife.editFrame(room, head + 1000, "nothing there"), "not_found");
        RoomLife.expectErrorFrame(ownerWs, RoomLife.deleteFrame(room, head + 1000), "not_found");

        String cid = "gone-" + IDS.incrementAndGet();
        long target = RoomLife.say(author, room, cid, "to be deleted");
        long deleted = RoomLife.expectAck(author, RoomLife.deleteFrame(room, target)).path("seq").asLong();
        assertEquals(deleted, RoomLife.expectAck(author, RoomLife.deleteFrame(room, target)).path("seq").asLong(),
                "the author's retried delete is answered with the first one's seq");
        RoomLife.expectErrorFrame(ownerWs, RoomLife.deleteFrame(room, target), "not_found");
        RoomLife.expectErrorFrame(author, RoomLife.editFrame(room, target, "too late"), "not_found");
        assertEquals(target + 1, rest.getRoom(owner(), room).expect(200).json().path("seq").asLong(),
                "only the one delete was stored");
    }

    /** Issue #13: a retry after {@code unavailable} (here simply sent twice) is stored once, like a retried send. */
    @Test
    void aRetriedEditAndARetriedDeleteAreStoredOnce() {
        long target = RoomLife.say(author, room, "retry-" + IDS.incrementAndGet(), "helo");
        long edited = RoomLife.expectAck(author, RoomLife.editFrame(room, target, "hello")).path("seq").asLong();
        assertEquals(edited, RoomLife.expectAck(author, RoomLife.editFrame(room, target, "hello")).path("seq").asLong(),
                "the retried edit is answered with the first one's seq");
        long deleted = RoomLife.expectAck(author, RoomLife.deleteFrame(room, target)).path("seq").asLong();
        assertEquals(deleted, RoomLife.expectAck(author, RoomLife.deleteFrame(room, target)).path("seq").asLong(),
                "the retried delete is answered with the first one's seq");
        assertEquals(edited + 1, deleted);

        List<JsonNode> changes = life.history(owner(), room).stream()
                .filter(e -> e.path("target").asLong() == target && e.path("seq").asLong() > target).toList();
        assertEquals(List.of("edited", "deleted"), changes.stream().map(e -> e.path("type").asText()).toList(),
                () -> "one edit and one delete stored: " + changes);
        // the owner's socket got each change once, live
        WsClient ownerWs = sockets.get("owner");
        RoomLife.awaitSeq(ownerWs, room, deleted);
        ownerWs.expectNothing(n -> Json.isTimeline(n) && room.equals(n.path("room").asText())
                && n.path("target").asLong() == target && n.path("seq").asLong() > deleted, Duration.ofMillis(300));
    }

    @Test
    void onlyMessagesCanBeEditedOrDeleted() {
        // seq 1 is the room's creation, a member event of the owner
        JsonNode edit = RoomLife.request(sockets.get("owner"), RoomLife.editFrame(room, 1, "rewrite history"));
        assertEquals("error", edit.path("type").asText(), () -> "editing a member event: " + edit);
        JsonNode del = RoomLife.request(sockets.get("owner"), RoomLife.deleteFrame(room, 1));
        assertEquals("error", del.path("type").asText(), () -> "deleting a member event: " + del);
        assertTrue(List.of("not_found", "forbidden", "bad_request").contains(del.path("code").asText()), del::toString);
    }

    @Test
    void editedAndDeletedEventsAreNoTargets() {
        long target = RoomLife.say(author, room, "t-" + IDS.incrementAndGet(), "first");
        long edit = RoomLife.expectAck(author, RoomLife.editFrame(room, target, "second")).path("seq").asLong();
        JsonNode again = RoomLife.request(author, RoomLife.editFrame(room, edit, "an edit of an edit event"));
        assertEquals("error", again.path("type").asText(), () -> "editing an edited event: " + again);
        long del = RoomLife.expectAck(author, RoomLife.deleteFrame(room, target)).path("seq").asLong();
        JsonNode delDel = RoomLife.request(sockets.get("owner"), RoomLife.deleteFrame(room, del));
        assertEquals("error", delDel.path("type").asText(), () -> "deleting a deleted event: " + delDel);
        assertEquals(del, rest.getRoom(owner(), room).expect(200).json().path("seq").asLong(), "nothing more stored");
    }

    /** Rights follow the roles at once: a demoted admin, a promoted member, a removed author. */
    @Test
    void permissionsFollowRoleChangesAtOnce() {
        Rest.User owner = rest.register("powner");
        Rest.User bob = rest.register("pbob");
        Rest.User carol = rest.register("pcarol");
        String r = rest.createPublicRoom(owner).path("id").asText();
        try (WsClient o = WsClient.of(node, owner); WsClient b = WsClient.of(node, bob); WsClient c = WsClient.of(node, carol)) {
            for (WsClient w : List.of(o, b, c)) w.join(r);
            life.setRole(owner, r, bob.name(), "admin").expect(200);
            long byOwner1 = RoomLife.say(o, r, "p-1", "owner 1");
            long byOwner2 = RoomLife.say(o, r, "p-2", "owner 2");
            long byCarol = RoomLife.say(c, r, "p-3", "carol");

            RoomLife.expectAck(b, RoomLife.deleteFrame(r, byOwner1)); // an admin deletes the owner's message
            life.setRole(owner, r, bob.name(), "member").expect(200);
            RoomLife.expectErrorFrame(b, RoomLife.deleteFrame(r, byOwner2), "forbidden");
            life.setRole(owner, r, carol.name(), "admin").expect(200);
            RoomLife.expectAck(c, RoomLife.deleteFrame(r, byOwner2));
            life.removeMember(owner, r, carol.name()).expect(204);
            RoomLife.expectErrorFrame(c, RoomLife.editFrame(r, byCarol, "carol, removed"), "forbidden");
            RoomLife.expectErrorFrame(c, RoomLife.deleteFrame(r, byCarol), "forbidden");
        }
    }

    @Test
    void editTextIsValidated() {
        long target = RoomLife.say(author, room, "v-" + IDS.incrementAndGet(), "valid");
        RoomLife.expectErrorFrame(author, RoomLife.editFrame(room, target, ""), "bad_request");
        RoomLife.expectErrorFrame(author, RoomLife.editFrame(room, target, "x".repeat(4001)), "bad_request");
        RoomLife.expectErrorFrame(author, Json.object().put("type", "edit").put("room", room).put("text", "no target"), "bad_request");
        RoomLife.expectErrorFrame(author, Json.object().put("type", "delete").put("room", room), "bad_request");
        JsonNode ok = RoomLife.expectAck(author, RoomLife.editFrame(room, target, "x".repeat(4000)));
        assertEquals(target + 1, ok.path("seq").asLong());
    }

    private static Rest.User owner() {
        return users.get("owner");
    }

    private static JsonNode storedAt(long seq) {
        JsonNode evs = rest.history(owner(), room, seq + 1, 1).expect(200).json().path("events");
        assertEquals(1, evs.size(), () -> "one event before " + (seq + 1) + ": " + evs);
        assertEquals(seq, evs.get(0).path("seq").asLong());
        return evs.get(0);
    }
}
