package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * PROTOCOL.md §4: a {@code GET /ws} that is not an upgrade gets 400 before anything else (no
 * credential and a foreign Origin do not change that); a user at the per-user socket cap (2
 * here) gets 429 at the upgrade, and a socket again once one of theirs has closed.
 */
@Timeout(60)
class SocketUpgradeIT {
    private static final int CAP = 2;
    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("upgrade").jvm("-Dchat.ws.max-sockets-per-user=" + CAP));
        rest = new Rest(node);
    }

    @Test
    void aPlainGetOfWsIsABadRequestBeforeOriginOrCredentials() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(node.uri("/ws")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bare.statusCode(), bare::body);
        assertEquals("bad_request", Json.MAPPER.readTree(bare.body()).path("error").path("code").asText(), bare::body);

        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(node.uri("/ws?token=garbage"))
                .header("Origin", "http://elsewhere.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, foreign.statusCode(), "not an upgrade comes before the Origin and the credential");
    }

    @Test
    void aUserAtTheSocketCapIsRefusedWith429AndOthersAreNot() {
        Rest.User user = rest.register("capped");
        Rest.User other = rest.register("uncapped");
        WsClient first = WsClient.of(node, user);
        try (WsClient second = WsClient.of(node, user)) {
            first.assertAlive();
            second.assertAlive();
            assertEquals(429, WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(user.token())), Map.of()),
                    "a third socket of the same user");
            try (WsClient elsewhere = WsClient.of(node, other)) {
                elsewhere.assertAlive();
            }
            first.close();
            int status = 429;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (status == 429 && System.nanoTime() < deadline) {
                NodeProcess.sleep(100);
                status = WsClient.upgradeStatus(node.wsUri("token=" + Rest.enc(user.token())), Map.of());
            }
            assertEquals(101, status, "a socket again once one of the user's closed");
        }
    }
}
