package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Issue 3, presence (PROTOCOL.md §4): {@code away} and {@code offline} reach the other members within
 * 1 second, in every room the user is in; {@code GET /api/presence} and {@code joined.members[].presence}
 * agree.
 */
@Timeout(120)
class PresenceIT {
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;
    private static RoomLife life;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("presence"));
        rest = new Rest(node);
        life = new RoomLife(rest);
    }

    private static Predicate<JsonNode> presence(String user, String status) {
        return n -> Json.isType(n, "presence") && user.equals(n.path("user").asText()) && status.equals(n.path("status").asText());
    }

    private static Predicate<JsonNode> anyPresence(String user) {
        return n -> Json.isType(n, "presence") && user.equals(n.path("user").asText());
    }

    /** Waits for the presence frame and asserts it came within 1 s of {@code sentNanos}. */
    private static JsonNode seenWithinOneSecond(WsClient w, String user, String status, long sentNanos) {
        WsClient.Received r = w.awaitReceived(presence(user, status), RoomLife.T);
        long ms = Duration.ofNanos(r.nanos() - sentNanos).toMillis();
        assertTrue(ms <= WITHIN.toMillis(), user + " " + status + " seen after " + ms + " ms, more than 1 s");
        return r.json();
    }

    private Map<String, String> presenceOf(Rest.User asker, String... users) {
        JsonNode body = life.presence(asker, users).expect(200).json();
        return Json.MAPPER.convertValue(body, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    @Test
    void awayAndOfflineAreSeenByAnotherMemberWithinOneSecond() {
        Rest.User alice = rest.register("palice");
        Rest.User bob = rest.register("pbob");
        Rest.User stranger = rest.register("pstranger");
        String room1 = rest.createPublicRoom(bob).path("id").asText();
        String room2 = rest.createRoom(bob, "private").path("id").asText();
        String elsewhere = rest.createPublicRoom(stranger).path("id").asText();
        life.addMember(bob, room2, alice);

        try (WsClient b1 = WsClient.of(node, bob); WsClient b2 = WsClient.of(node, bob); WsClient s = WsClient.of(node, stranger)) {
            b1.join(room1);
            b2.join(room2);
            s.join(elsewhere);
            WsClient a1 = WsClient.of(node, alice);
            WsClient a2 = null;
            try {
                a1.join(room1); // alice is a member of both rooms now, subscribed here to room1 only
                assertEquals(Map.of(alice.name(), "online", bob.name(), "online", stranger.name(), "online"),
                        presenceOf(bob, alice.name(), bob.name(), stranger.name()));

                long sent = System.nanoTime();
                a1.send(RoomLife.presenceFrame("away"));
                for (WsClient b : List.of(b1, b2)) {
                    JsonNode p = seenWithinOneSecond(b, alice.name(), "away", sent);
                    assertTrue(p.path("seq").isMissingNode(), () -> "presence is not sequenced: " + p);
                }
                assertEquals(Map.of(alice.name(), "away"), presenceOf(bob, alice.name()));
                try (WsClient b3 = WsClient.of(node, bob)) {
                    JsonNode joined = b3.join(room2);
                    Map<String, String> p = RoomLife.membersMap(joined.path("members"), "presence");
                    assertEquals(Map.of(alice.name(), "away", bob.name(), "online"), p, () -> "joined.members[].presence: " + joined);
                    Map<String, String> roles = RoomLife.membersMap(joined.path("members"), "role");
                    assertEquals(Map.of(alice.name(), "member", bob.name(), "owner"), roles, () -> "joined.members[].role: " + joined);
                }

                sent = System.nanoTime();
                a1.send(RoomLife.presenceFrame("online"));
                seenWithinOneSecond(b1, alice.name(), "online", sent);
                seenWithinOneSecond(b2, alice.name(), "online", sent);

                // a second socket: closing the first is not the last one
                a2 = WsClient.of(node, alice);
                a2.assertAlive();
                a1.close();
                b1.expectNothing(presence(alice.name(), "offline"), Duration.ofMillis(1_200));
                assertEquals(Map.of(alice.name(), "online"), presenceOf(bob, alice.name()));

                sent = System.nanoTime();
                a2.close(); // her last socket
                seenWithinOneSecond(b1, alice.name(), "offline", sent);
                seenWithinOneSecond(b2, alice.name(), "offline", sent);
                assertEquals(Map.of(alice.name(), "offline"), presenceOf(bob, alice.name()));
                try (WsClient b3 = WsClient.of(node, bob)) {
                    JsonNode joined = b3.join(room1);
                    Map<String, String> p = RoomLife.membersMap(joined.path("members"), "presence");
                    assertEquals("offline", p.get(alice.name()), () -> "joined.members[].presence: " + joined);
                    assertEquals("online", p.get(bob.name()), () -> "joined.members[].presence: " + joined);
                }
                // a user in no room of the stranger's: none of this reached him
                s.expectNothing(anyPresence(alice.name()), Duration.ZERO);
            } finally {
                a1.close();
                if (a2 != null) a2.close();
            }
        }
    }

    @Test
    void comingOnlineIsSeenWithinOneSecond() {
        Rest.User alice = rest.register("oalice");
        Rest.User bob = rest.register("obob");
        String room = rest.createPublicRoom(bob).path("id").asText();
        try (WsClient a = WsClient.of(node, alice)) {
            a.join(room);
        }
        try (WsClient b = WsClient.of(node, bob)) {
            b.join(room);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!"offline".equals(presenceOf(bob, alice.name()).get(alice.name()))) {
                assertTrue(System.nanoTime() < deadline, "alice offline after her only socket closed");
                NodeProcess.sleep(50);
            }
            b.drain(Duration.ofMillis(100));
            long sent = System.nanoTime();
            try (WsClient a = WsClient.of(node, alice)) {
                seenWithinOneSecond(b, alice.name(), "online", sent);
                assertEquals(Map.of(alice.name(), "online"), presenceOf(bob, alice.name()));
            }
        }
    }

    @Test
    void presenceOfUnknownAndIdleUsersIsOffline() {
        Rest.User asker = rest.register("qasker");
        Rest.User idle = rest.register("qidle");
        Map<String, String> p = presenceOf(asker, asker.name(), idle.name(), "no_such_user_x");
        assertEquals("offline", p.get(asker.name()), "REST alone does not make a user online");
        assertEquals("offline", p.get(idle.name()));
        assertEquals(3, p.size(), () -> "one entry per user asked: " + p);
        assertTrue(List.of("offline").contains(p.get("no_such_user_x")), () -> "unknown user: " + p);
    }

    @Test
    void awayIsValidated() {
        Rest.User alice = rest.register("valice");
        try (WsClient a = WsClient.of(node, alice)) {
            RoomLife.expectErrorFrame(a, RoomLife.presenceFrame("offline"), "bad_request");
            RoomLife.expectErrorFrame(a, RoomLife.presenceFrame("busy"), "bad_request");
            assertEquals(Map.of(alice.name(), "online"), presenceOf(alice, alice.name()));
        }
    }
}
