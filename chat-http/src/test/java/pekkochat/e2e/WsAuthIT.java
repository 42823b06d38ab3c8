package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Jwts;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/** PROTOCOL.md §4: credentials at the upgrade (ticket, token, bearer) and the Origin check, default config. */
@Timeout(60)
class WsAuthIT {
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("wsauth"));
        rest = new Rest(node);
    }

    @Test
    void ticketOpensTheSocketOnce() {
        Rest.User user = rest.register("ticket");
        Rest.Resp r = rest.post("/api/ws-ticket", user.token(), (String) null).expect(201);
        String ticket = r.json().path("ticket").asText();
        assertFalse(ticket.isEmpty(), () -> "ticket: " + r.body());
        assertTrue(r.json().has("expiresAt"), () -> "expiresAt: " + r.body());

        try (WsClient ws = WsClient.withTicket(node, ticket)) {
            ws.assertAlive();
        }
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("ticket=" + Rest.enc(ticket)), Map.of()),
                "a used ticket is refused at the upgrade");
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("ticket=not-a-ticket"), Map.of()), "an unknown ticket");
    }

    @Test
    void ticketNeedsAToken() {
        assertEquals(401, rest.post("/api/ws-ticket", null, (String) null).status());
        assertEquals(401, rest.post("/api/ws-ticket", "garbage", (String) null).status());
    }

    @Test
    void tokenInQueryAndBearerHeaderOpenTheSocket() {
        Rest.User user = rest.register("token");
        try (WsClient ws = WsClient.withToken(node, user.token())) {
            ws.assertAlive();
        }
        try (WsClient ws = WsClient.withBearer(node, user.token())) {
            ws.assertAlive();
        }
    }

    @Test
    void missingOrBadCredentialIsRefusedWith401() {
        Rest.User user = rest.register("bad");
        assertEquals(401, WsClient.upgradeStatus(node.wsUri(null), Map.of()), "no credential");
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("token=garbage"), Map.of()), "garbage token");
        assertEquals(401, WsClient.upgradeStatus(node.wsUri(null), Map.of("Authorization", "Bearer garbage")), "garbage bearer");
        long now = System.currentTimeMillis() / 1000;
        String otherKey = Jwts.hs256(user.name(), now, now + 3600, "another-secret-another-secret-another-secret");
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("token=" + otherKey), Map.of()), "token signed with another key");
        String tok = user.token();
        int at = tok.length() - 10; // inside the signature, a fully significant base64url character
        String tampered = tok.substring(0, at) + (tok.charAt(at) == 'A' ? 'B' : 'A') + tok.substring(at + 1);
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(tampered)), Map.of()), "tampered signature");

        // a token we sign with the node's key (CHAT_JWT_SECRET) is accepted while valid, refused once expired
        String valid = Jwts.hs256(user.name(), now, now + 3600, NodeProcess.JWT_SECRET);
        assertEquals(101, WsClient.upgradeStatus(node.wsUri("token=" + valid), Map.of()), "a valid HS256 token with sub");
        String expired = Jwts.hs256(user.name(), now - 7200, now - 3600, NodeProcess.JWT_SECRET);
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("token=" + expired), Map.of()), "an expired token");
    }

    @Test
    void disallowedOriginIsRefusedWith403() {
        Rest.User user = rest.register("origin");
        assertEquals(403, WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(user.token())),
                Map.of("Origin", "http://evil.example")), "a foreign Origin");
        assertEquals(101, WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(user.token())),
                Map.of("Origin", node.origin())), "the node's own origin");
        String ticket = rest.wsTicket(user);
        assertEquals(403, WsClient.upgradeStatus(node.wsUri("ticket=" + Rest.enc(ticket)),
                Map.of("Origin", "http://evil.example")), "a foreign Origin with a ticket");
    }
}
