package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * PROTOCOL.md §3: login and register are throttled, answered 429 {@code rate_limited} with the
 * error body: failed logins per username (the default, 10), registrations per client address
 * (5 here; the default 1,000 would take minutes of hashing), where the address behind a trusted
 * proxy (the test, on loopback) is the one X-Forwarded-For ends with. A flood of logins is
 * answered quickly, partly 503, while the node keeps answering sockets.
 */
@Timeout(120)
class AuthThrottleIT {
    private static final int REGISTER_BURST = 5;
    private static final int FAILED_LOGIN_BURST = 10;
    private static final int FLOOD = 200;

    @RegisterExtension
    static final ChatNodes nodes = new ChatNodes();
    private static NodeProcess node;
    private static Rest rest;

    @BeforeAll
    static void startNode() {
        node = nodes.start(NodeProcess.builder("auth-throttle")
                .jvm("-Dchat.auth.throttle.register.burst=" + REGISTER_BURST)
                .jvm("-Dchat.auth.throttle.register.per-second=0.01"));
        rest = new Rest(node);
    }

    @Test
    void failedLoginsOfOneUsernameAreRefusedWith429AndTheUserKeepsWorking() {
        Rest.User user = registerFrom("198.51.100.1", "brute");
        for (int i = 0; i < FAILED_LOGIN_BURST; i++) rest.tryLogin(user.name(), "wrong-password-" + i).expect(401);
        assertRateLimited(rest.tryLogin(user.name(), "wrong-password-x"));
        assertRateLimited(rest.tryLogin(user.name(), Rest.PASSWORD)); // refused before any hash, whatever the password
        rest.tryLogin(user.name().toUpperCase(), "wrong-password-y").expect(401); // usernames are case-sensitive: another name

        Rest.User other = registerFrom("198.51.100.1", "bystander");
        rest.tryLogin(other.name(), Rest.PASSWORD).expect(200);
        rest.listRooms(user).expect(200);
        try (WsClient ws = WsClient.of(node, user)) {
            ws.assertAlive();
        }
    }

    @Test
    void registrationsPerForwardedClientAddressAreRefusedWith429() {
        String address = "198.51.100.2";
        for (int i = 0; i < REGISTER_BURST; i++) registerFrom(address, "nat" + i);
        assertRateLimited(tryRegisterFrom(address, Rest.uniqueName("nat-over")));
        assertRateLimited(tryRegisterFrom("6.6.6.6, " + address, Rest.uniqueName("nat-spoof")));
        registerFrom("198.51.100.3", "next-door"); // another client behind the same proxy
        Rest.User earlier = registerFrom("198.51.100.4", "early");
        rest.tryLogin(earlier.name(), Rest.PASSWORD).expect(200);
    }

    @Test
    void aLoginFloodIsAnsweredQuicklyAndSocketsKeepBeingServed() throws Exception {
        Rest.User user = registerFrom("198.51.100.5", "chatting");
        String room = rest.createPublicRoom(user).path("id").asText();
        HttpClient http = HttpClient.newHttpClient();
        try (WsClient ws = WsClient.of(node, user)) {
            ws.join(room);
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                String body = Json.write(Json.object().put("username", "nobody-" + i).put("password", "guessing-" + i));
                flood.add(http.sendAsync(HttpRequest.newBuilder(node.uri("/api/login")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long slowestMessage = 0;
            int sent = 0;
            while (flood.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                long t = System.nanoTime();
                ws.sendAndAck(room, "during-" + (++sent), "chat goes on");
                slowestMessage = Math.max(slowestMessage, System.nanoTime() - t);
                NodeProcess.sleep(150); // under the send rate limit (10 a second)
            }
            CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> f : flood) statuses.merge(f.get().statusCode(), 1, Integer::sum);
            System.out.printf("[e2e] login flood: %d logins answered in %.1f s: %s; %d messages acked meanwhile, slowest %d ms%n",
                    FLOOD, seconds, statuses, sent, TimeUnit.NANOSECONDS.toMillis(slowestMessage));
            assertEquals(Map.of(), withoutKeys(statuses, 401, 503), "every login is a wrong one or refused: " + statuses);
            assertTrue(statuses.getOrDefault(503, 0) > 0, "the hash queue is bounded: some logins are refused " + statuses);
            assertTrue(seconds < 15, "the flood is answered within seconds, not queued: " + seconds + " s");
            assertTrue(slowestMessage < TimeUnit.SECONDS.toNanos(2),
                    "sends are acked while the node hashes: slowest " + TimeUnit.NANOSECONDS.toMillis(slowestMessage) + " ms");
        }
    }

    private static Map<Integer, Integer> withoutKeys(Map<Integer, Integer> map, Integer... keys) {
        Map<Integer, Integer> rest = new TreeMap<>(map);
        for (Integer k : keys) rest.remove(k);
        return rest;
    }

    private static void assertRateLimited(Rest.Resp r) {
        assertEquals(429, r.status(), r::body);
        assertEquals("rate_limited", r.json().path("error").path("code").asText(), r::body);
    }

    private static Rest.Resp tryRegisterFrom(String forwardedFor, String name) {
        String body = Json.write(Json.object().put("username", name).put("password", Rest.PASSWORD));
        return rest.send(rest.request("/api/register", null).header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Registers a user as a client at {@code address} behind a proxy would. */
    private static Rest.User registerFrom(String address, String prefix) {
        String name = Rest.uniqueName(prefix);
        Rest.Resp r = tryRegisterFrom(address, name).expect(201);
        return new Rest.User(name, r.json().path("token").asText());
    }
}
