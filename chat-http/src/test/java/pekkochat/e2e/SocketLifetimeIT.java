package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Jwts;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * PROTOCOL.md §5 closing reasons {@code idle} (nothing received for the idle timeout, lowered here to 3 s)
 * and {@code token_expired} (the credential the socket opened with expired); a ticket's validity (lowered to 2 s).
 */
@Timeout(60)
class SocketLifetimeIT {
    private static final Duration IDLE = Duration.ofSeconds(3);

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("lifetime")
                .jvm("-Dchat.ws.idle-timeout=" + IDLE.toSeconds() + "s")
                .jvm("-Dchat.auth.ticket-ttl=2s"));
        rest = new Rest(node);
    }

    @Test
    void aSilentSocketIsClosedAsIdleAndAnActiveOneIsNot() {
        Rest.User quiet = rest.register("quiet");
        Rest.User chatty = rest.register("chatty");
        try (WsClient q = WsClient.of(node, quiet); WsClient c = WsClient.of(node, chatty)) {
            long opened = System.nanoTime();
            q.assertAlive();
            long deadline = System.nanoTime() + IDLE.multipliedBy(2).toNanos();
            while (System.nanoTime() < deadline) {
                c.assertAlive(); // a frame a second keeps it alive
                NodeProcess.sleep(1_000);
            }
            assertFalse(c.closed().isDone(), "an active socket stays open past the idle timeout");
            WsClient.Received r = q.awaitReceived(n -> Json.isType(n, "closing"), Duration.ofSeconds(5));
            JsonNode closing = r.json();
            long after = (r.nanos() - opened) / 1_000_000;
            assertEquals("idle", closing.path("reason").asText(), () -> "closing: " + closing);
            assertTrue(after >= IDLE.toMillis() - 200 && after <= IDLE.toMillis() + 2_000,
                    "closed as idle about " + IDLE.toMillis() + " ms after its last frame, at " + after + " ms");
            q.awaitClosed(Duration.ofSeconds(5));
        }
    }

    @Test
    void anUnusedTicketExpires() {
        Rest.User user = rest.register("late");
        String fresh = rest.wsTicket(user);
        try (WsClient ws = WsClient.withTicket(node, fresh)) {
            ws.assertAlive();
        }
        String stale = rest.wsTicket(user);
        NodeProcess.sleep(3_000); // ticket-ttl is 2 s here (30 s by default)
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("ticket=" + Rest.enc(stale)), java.util.Map.of()),
                "an expired ticket is refused at the upgrade");
    }

    @Test
    void aSocketIsClosedWhenItsTokenExpires() {
        Rest.User user = rest.register("expiring");
        long now = System.currentTimeMillis() / 1000;
        String token = Jwts.hs256(user.name(), now, now + 4, NodeProcess.JWT_SECRET);
        try (WsClient ws = WsClient.withToken(node, token)) {
            ws.assertAlive();
            JsonNode closing = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (closing == null && System.nanoTime() < deadline) {
                try {
                    ws.send(Json.object().put("type", "ping")); // not idle meanwhile
                } catch (AssertionError closedAlready) {
                    break;
                }
                try {
                    closing = ws.await("closing", Duration.ofMillis(1_000));
                } catch (AssertionError notYet) {
                    // keep going
                }
            }
            if (closing == null) closing = ws.await("closing", Duration.ofMillis(500));
            JsonNode c = closing;
            assertEquals("token_expired", c.path("reason").asText(), () -> "closing: " + c);
            assertTrue(System.currentTimeMillis() / 1000 >= now + 4 - 1, "not before the token's exp");
            ws.awaitClosed(Duration.ofSeconds(5));
        }
    }
}
