package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.LogSecrets;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Jwts;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue #13, "no secret in any log", at every level: a node on PostgreSQL whose URL carries a
 * password, logging at DEBUG (its own loggers and Pekko's), is handed every kind of secret: a
 * password (right and wrong), tokens (in the query, in a header, an expired one), a used and an
 * unknown ticket, invite codes (accepted, revoked, unknown). Its log holds none of them. Every
 * other e2e test gets the same scan from {@link ChatNodes} for the secrets it used.
 */
@Timeout(120)
class LogSecretsIT {
    private static final String DB_PASSWORD = "db-s3cret-in-the-url";

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void noSecretTheNodeWasHandedReachesItsLogAtDebug() throws Exception {
        TestDatabase db = nodes.postgres();
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "password=" + DB_PASSWORD;
        LogSecrets.rememberPassword(DB_PASSWORD);
        NodeProcess node = nodes.start(NodeProcess.builder("log-secrets").postgres(db).env("CHAT_DB_URL", url)
                .env("CHAT_LOG_LEVEL", "DEBUG").jvm("-Dpekko.loglevel=DEBUG"));
        Rest rest = new Rest(node);
        RoomLife life = new RoomLife(rest);

        Rest.User owner = rest.register("lsowner");
        Rest.User guest = rest.register("lsguest");
        rest.tryLogin(owner.name(), Rest.PASSWORD).expect(200);
        rest.tryLogin(owner.name(), "a-wrong-password").expect(401);
        String room = rest.createRoom(owner, "private").path("id").asText();

        String ticket = rest.wsTicket(owner);
        try (WsClient byTicket = WsClient.withTicket(node, ticket);
             WsClient byBearer = WsClient.withBearer(node, guest.token())) {
            byTicket.join(room);
            byBearer.assertAlive();
        }
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("ticket=" + Rest.enc(ticket)), Map.of()), "a used ticket");
        String expired = Jwts.hs256(guest.name(), 1, 2, NodeProcess.JWT_SECRET);
        assertEquals(401, WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(expired)), Map.of()), "an expired token");
        rest.listRooms(new Rest.User(guest.name(), expired)).expect(401);

        String accepted = life.invite(owner, room, null, null);
        life.accept(guest, accepted).expect(200);
        String revoked = life.invite(owner, room, null, null);
        life.revokeInvite(owner, room, revoked).expect(204);
        life.accept(guest, revoked).expect(404);

        node.stop();
        String log = Files.readString(node.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("level=DEBUG"), "the node logged at DEBUG");
        assertTrue(log.contains("password=***"), "the database URL is logged, masked");
        assertFalse(log.contains(DB_PASSWORD), "the database password is not");
        assertEquals(java.util.List.of(), LogSecrets.findIn(node.logFile()), "no password, token, ticket or invite code");
        System.out.printf("[e2e] log secrets: %d log lines at DEBUG scanned%n", log.lines().count());
    }
}
