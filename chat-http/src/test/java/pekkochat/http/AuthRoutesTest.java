package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pekkochat.auth.AuthSettings;
import pekkochat.auth.Throttle;
import pekkochat.auth.Credentials;
import pekkochat.auth.JwtKeys;
import pekkochat.auth.Principal;
import pekkochat.auth.TokenService;
import pekkochat.storage.Database;
import pekkochat.storage.DatabaseSettings;

/**
 * Auth over real HTTP: two auth stacks ("nodes") on one H2 database, each behind its own Pekko
 * HTTP server on a loopback port; the second issues tickets that expire after a second.
 */
class AuthRoutesTest extends AllDirectives {

  private static final String PASSWORD = "correct horse";
  private static final Duration SHORT_TICKET_TTL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int TEST_BCRYPT_COST = 4;

  @TempDir static Path dataDir;
  private static ActorSystem<Void> system;
  private static Database database;
  private static AuthRoutes nodeA;
  private static AuthRoutes shortTicketNode;
  private static URI baseA;
  private static URI baseShort;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "auth-routes-test",
            // a local system; the node's config would exit the JVM on terminate
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off")
                .withFallback(ConfigFactory.load()));
    database = Database.open(DatabaseSettings.resolve("", "", "", dataDir, 4));
    nodeA = AuthRoutes.create(settings(Duration.ofSeconds(30)), database, Clock.systemUTC());
    shortTicketNode = AuthRoutes.create(settings(SHORT_TICKET_TTL), database, Clock.systemUTC());
    baseA = bind(nodeA);
    baseShort = bind(shortTicketNode);
    http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (nodeA != null) nodeA.close();
    if (shortTicketNode != null) shortTicketNode.close();
    if (database != null) database.close();
  }

  private static AuthSettings settings(Duration ticketTtl) {
    return new AuthSettings(
        Optional.empty(),
        Duration.ofHours(24),
        ticketTtl,
        Duration.ofMinutes(1),
        TEST_BCRYPT_COST,
        2,
        64,
        new Throttle.Limit(1000, 1000, 1000),
        new Throttle.Limit(1000, 1000, 1000),
        "127.0.0.1",
        dataDir);
  }

  /** Serves the auth routes plus {@code GET /me}, a route behind {@link AuthRoutes#authenticated}. */
  private static URI bind(AuthRoutes auth) throws Exception {
    AllDirectives d = new AllDirectives() {};
    ServerBinding binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(
                d.concat(
                    auth.routes(),
                    d.path("me", () -> d.get(() -> auth.authenticated(p -> d.complete(p.username()))))))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
  }

  @Test
  void registeringAnswersATokenThatAuthenticates() throws Exception {
    HttpResponse<String> response = post(baseA, "/api/register", credentials("alice", PASSWORD), null);
    assertEquals(201, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    JsonNode body = json(response);
    assertEquals("alice", body.at("/user/name").textValue());

    HttpResponse<String> me = get(baseA, "/me", body.get("token").textValue());
    assertEquals(200, me.statusCode());
    assertEquals("alice", me.body());
  }

  @Test
  void aTakenNameIsAConflict() throws Exception {
    assertEquals(201, post(baseA, "/api/register", credentials("bob", PASSWORD), null).statusCode());
    HttpResponse<String> again = post(baseShort, "/api/register", credentials("bob", "other password"), null);
    assertError(409, "conflict", again);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "[]",
        "{\"username\":\"carol\"}",
        "{\"username\":42,\"password\":\"correct horse\"}",
        "{\"username\":\"ab\",\"password\":\"correct horse\"}",
        "{\"username\":\"carol carol\",\"password\":\"correct horse\"}",
        "{\"username\":\"carol\",\"password\":\"short\"}",
      })
  void invalidRegistrationsAreBadRequests(String body) throws Exception {
    assertError(400, "bad_request", post(baseA, "/api/register", body, null));
  }

  @Test
  void aPasswordOverOneHundredTwentyEightCharactersIsABadRequest() throws Exception {
    String tooLong = credentials("dave", "x".repeat(Credentials.MAX_PASSWORD_LENGTH + 1));
    assertError(400, "bad_request", post(baseA, "/api/register", tooLong, null));
    String longest = credentials("dave", "x".repeat(Credentials.MAX_PASSWORD_LENGTH));
    assertEquals(201, post(baseA, "/api/register", longest, null).statusCode());
  }

  @Test
  void loggingInWithTheRightPasswordAnswersAToken() throws Exception {
    post(baseA, "/api/register", credentials("erin", PASSWORD), null);
    HttpResponse<String> login = post(baseShort, "/api/login", credentials("erin", PASSWORD), null);
    assertEquals(200, login.statusCode());
    JsonNode body = json(login);
    assertEquals("erin", body.at("/user/name").textValue());
    assertEquals("erin", get(baseA, "/me", body.get("token").textValue()).body());
  }

  @Test
  void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
    post(baseA, "/api/register", credentials("frank", PASSWORD), null);
    HttpResponse<String> wrongPassword =
        post(baseA, "/api/login", credentials("frank", "not the password"), null);
    HttpResponse<String> unknownUser = post(baseA, "/api/login", credentials("nobody", PASSWORD), null);
    assertError(401, "unauthorized", wrongPassword);
    assertError(401, "unauthorized", unknownUser);
    assertEquals(wrongPassword.body(), unknownUser.body());
  }

  @Test
  void protectedRoutesRefuseAMissingBadOrExpiredToken() throws Exception {
    byte[] key = JwtKeys.load(Optional.empty(), dataDir);
    Clock yesterday = Clock.offset(Clock.systemUTC(), Duration.ofHours(-25));
    String expired = new TokenService(key, Duration.ofHours(24), yesterday).issue("grace");
    String foreign =
        new TokenService("x".repeat(32).getBytes(StandardCharsets.UTF_8), Duration.ofHours(24), Clock.systemUTC())
            .issue("grace");

    assertError(401, "unauthorized", get(baseA, "/me", null));
    assertError(401, "unauthorized", get(baseA, "/me", "garbage"));
    assertError(401, "unauthorized", get(baseA, "/me", expired));
    assertError(401, "unauthorized", get(baseA, "/me", foreign));
    assertError(401, "unauthorized", post(baseA, "/api/ws-ticket", "", null));
  }

  @Test
  void aTicketWorksOnceOnAnyNodeAndCarriesTheTokensExpiry() throws Exception {
    String token = register("heidi");
    HttpResponse<String> issued = post(baseA, "/api/ws-ticket", "", token);
    assertEquals(201, issued.statusCode());
    String ticket = json(issued).get("ticket").textValue();
    long expiresAt = json(issued).get("expiresAt").longValue();
    assertTrue(ticket.matches("[A-Za-z0-9_-]{43}"), "256 bits, URL-safe base64");
    long ttlLeft = expiresAt - System.currentTimeMillis();
    assertTrue(ttlLeft > 0 && ttlLeft <= Duration.ofSeconds(30).toMillis(), "ttl " + ttlLeft);
    assertFalse(storedTicketHashes().contains(ticket), "only the hash is stored");
    assertTrue(storedTicketHashes().contains(sha256Hex(ticket)));

    Principal principal = await(shortTicketNode.authenticateSocket(Optional.of(ticket), none(), none())).orElseThrow();
    assertEquals("heidi", principal.username());
    assertEquals(JWT.decode(token).getExpiresAtAsInstant(), principal.credentialExpiresAt());
    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(Optional.of(ticket), none(), none())));
  }

  @Test
  void anExpiredTicketIsRefused() throws Exception {
    String token = register("ivan");
    HttpResponse<String> issued = post(baseShort, "/api/ws-ticket", "", token);
    assertEquals(201, issued.statusCode());
    String ticket = json(issued).get("ticket").textValue();
    Instant expiresAt = Instant.ofEpochMilli(json(issued).get("expiresAt").longValue());
    assertTrue(storedTicketHashes().contains(sha256Hex(ticket)), "issued and stored");
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis() + 50));

    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(Optional.of(ticket), none(), none())));
    assertFalse(storedTicketHashes().contains(sha256Hex(ticket)), "used up by the attempt");
  }

  private static String sha256Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSocketMayAuthenticateWithATokenParameterOrBearerHeader() throws Exception {
    String token = register("judy");
    assertEquals(
        "judy",
        await(nodeA.authenticateSocket(none(), Optional.of(token), none())).orElseThrow().username());
    assertEquals(
        "judy",
        await(nodeA.authenticateSocket(none(), none(), Optional.of("Bearer " + token)))
            .orElseThrow()
            .username());
    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(none(), Optional.of("bad"), none())));
    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(none(), none(), Optional.of(token))));
    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(Optional.of("unknown"), none(), none())));
    assertEquals(Optional.empty(), await(nodeA.authenticateSocket(none(), none(), none())));
  }

  private static String register(String username) throws Exception {
    HttpResponse<String> response = post(baseA, "/api/register", credentials(username, PASSWORD), null);
    assertEquals(201, response.statusCode(), response.body());
    return json(response).get("token").textValue();
  }

  private static void assertError(int status, String code, HttpResponse<String> response)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = json(response).get("error");
    assertEquals(code, error.get("code").textValue());
    assertNotEquals("", error.get("message").textValue());
  }

  private static String credentials(String username, String password) throws Exception {
    return Json.mapper()
        .writeValueAsString(Map.of("username", username, "password", password));
  }

  private static HttpResponse<String> post(URI base, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI base, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
    if (token != null) request.header("Authorization", "Bearer " + token);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.mapper().readTree(response.body());
  }

  private static List<String> storedTicketHashes() throws Exception {
    return await(
        database.withConnection(
            connection -> {
              List<String> hashes = new ArrayList<>();
              try (Statement select = connection.createStatement();
                  ResultSet rows = select.executeQuery("SELECT ticket_hash FROM ws_tickets")) {
                while (rows.next()) hashes.add(rows.getString(1));
              }
              return hashes;
            }));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Optional<String> none() {
    return Optional.empty();
  }
}
