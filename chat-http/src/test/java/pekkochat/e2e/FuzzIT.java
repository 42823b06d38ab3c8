package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.fuzz.FuzzInputs;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.RawWsSocket;
import pekkochat.testkit.ws.WsClient;
import pekkochat.wire.ClientFrame;
import pekkochat.wire.ClientFrameParser;

/**
 * Issue #13's fuzzing end to end (docs/testing.md, "Fuzzing"): one node; a socket sends mutated
 * real frames, REST calls get mutated real bodies, while a well-behaved socket in the same room
 * keeps being served. The rule: every bad frame gets its {@code bad_request} (a binary or too large
 * frame its {@code closing}), no other socket is closed or slowed out, no call answers 5xx, and the
 * node stays ready. Bounded in count and in time; {@code -Dfuzz.seed=N} replays or varies a run.
 */
@Timeout(120)
class FuzzIT {
  private static final Duration T = Duration.ofSeconds(10);
  private static final int WAIT_MILLIS = 10_000;
  private static final int FUZZ_FRAMES = 400;
  private static final int FUZZ_BODIES_PER_CALL = 40;
  /** Register and login hash a password each: fewer of them, on a shared CPU. */
  private static final int FUZZ_CREDENTIALS_PER_CALL = 15;
  private static final Duration FRAMES_BUDGET = Duration.ofSeconds(25);
  private static final Duration BODIES_BUDGET = Duration.ofSeconds(20);
  private static final int GOOD_SOCKET_EVERY = 25;
  private static final int MAX_FRAME_BYTES = 64 * 1024;
  private static final long SEED = Long.getLong("fuzz.seed", 130013L);

  @RegisterExtension
  static final ChatNodes nodes = new ChatNodes();

  private final ClientFrameParser parser = new ClientFrameParser(pekkochat.http.Json.mapper());

  @Test
  void fuzzedFramesAndBodiesAreAnsweredAndHurtNoOtherSocket() throws Exception {
    NodeProcess node = nodes.start(NodeProcess.builder("fuzz").jvm(NodeProcess.liftedRateLimit()));
    Rest rest = new Rest(node);
    Rest.User good = rest.register("good");
    Rest.User fuzzer = rest.register("fuzzer");
    String room = rest.createPublicRoom(good).path("id").asText();
    String fuzzersRoom = rest.createPublicRoom(fuzzer).path("id").asText();
    Random random = new Random(SEED);
    System.out.println("[e2e] fuzz seed " + SEED);

    try (WsClient goodSocket = WsClient.of(node, good);
         RawWsSocket fuzzSocket = RawWsSocket.open(node.httpPort(), "/ws?token=" + fuzzer.token(), MAX_FRAME_BYTES)) {
      goodSocket.join(room);
      int frames = fuzzFrames(fuzzSocket, goodSocket, room, random);
      aRejoinAnswersEachRef(node, fuzzer, room);
      binaryAndTooLargeFramesCloseOnlyTheirSocket(node, fuzzer, room, random);
      int bodies = fuzzBodies(rest, fuzzer, fuzzersRoom, good, random);
      goodIsServed(goodSocket, room, "after the fuzz");
      assertFalse(goodSocket.closed().isDone(), "the well-behaved socket stayed open");
      assertEquals(200, node.status("/readyz"), "the node stays ready");
      System.out.println("[e2e] fuzz: " + frames + " frames, " + bodies + " REST bodies, seed " + SEED);
    }
  }

  /** Each fuzzed frame, then a ping: everything the node answered before the pong is the frame's answer. */
  private int fuzzFrames(RawWsSocket fuzzSocket, WsClient goodSocket, String room, Random random) throws IOException {
    List<String> corpus = FuzzInputs.seeds("pekkochat/wire/ClientFrameFuzzTestInputs/anyInputIsAFrameOrABadRequest").stream()
        .map(frame -> frame.replace("\"general\"", "\"" + room + "\"")).toList();
    long deadline = System.nanoTime() + FRAMES_BUDGET.toNanos();
    int sent = 0;
    while (sent < FUZZ_FRAMES && System.nanoTime() < deadline) {
      String frame = FuzzInputs.mutated(corpus, random);
      byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > MAX_FRAME_BYTES) continue; // too_large has its own check below
      String received = new String(utf8, StandardCharsets.UTF_8); // what the node decodes
      ClientFrame expected = parser.parse(received);
      String sync = "sync-" + sent;
      fuzzSocket.sendTextsAtOnce(List.of(frame, "{\"type\":\"ping\",\"ref\":\"" + sync + "\"}"));
      List<JsonNode> answers = answersUntilPong(fuzzSocket, sync, received);
      if (expected instanceof ClientFrame.Invalid invalid) {
        boolean badRequest = answers.stream().anyMatch(a -> "error".equals(a.path("type").asText())
            && "bad_request".equals(a.path("code").asText())
            && (invalid.ref() == null ? !a.has("ref") : invalid.ref().equals(a.path("ref").asText(null))));
        assertTrue(badRequest, () -> "bad_request for " + Json.abbreviate(received) + "; got " + answers);
      }
      if (++sent % GOOD_SOCKET_EVERY == 0) goodIsServed(goodSocket, room, "after fuzzed frame " + sent);
    }
    return sent;
  }

  private static List<JsonNode> answersUntilPong(RawWsSocket socket, String sync, String frame) throws IOException {
    List<JsonNode> answers = new ArrayList<>();
    while (true) {
      RawWsSocket.Frame reply = socket.nextNonPing(WAIT_MILLIS);
      assertNotNull(reply, () -> "the socket ended after " + Json.abbreviate(frame));
      for (String line : reply.text().split("\n")) {
        JsonNode answer = Json.parse(line);
        assertFalse("closing".equals(answer.path("type").asText()), () -> "closed after " + Json.abbreviate(frame) + ": " + answer);
        if ("pong".equals(answer.path("type").asText()) && sync.equals(answer.path("ref").asText())) return answers;
        answers.add(answer);
      }
    }
  }

  /**
   * A second join of a joined room, after the first's answer or right behind it, answers its own
   * ref (the join right behind lost its answer before the fix; RoomJoinsTest holds the regression).
   */
  private static void aRejoinAnswersEachRef(NodeProcess node, Rest.User user, String room) {
    try (WsClient ws = WsClient.of(node, user)) {
      for (String ref : List.of("join-1", "join-2")) {
        ws.send(WsClient.joinFrame(room, null).put("ref", ref));
        JsonNode reply = ws.awaitMatching(n -> ref.equals(n.path("ref").asText(null)), T);
        assertEquals("joined", reply.path("type").asText(), () -> "reply to " + ref + ": " + reply);
      }
      ws.send(WsClient.joinFrame(room, 0L).put("ref", "join-3"));
      ws.send(WsClient.joinFrame(room, null).put("ref", "join-4"));
      for (String ref : List.of("join-3", "join-4")) {
        JsonNode reply = ws.awaitMatching(n -> ref.equals(n.path("ref").asText(null)), T);
        assertTrue(reply.has("type"), () -> "reply to " + ref + ": " + reply);
      }
      ws.assertAlive();
    }
  }

  /** PROTOCOL.md section 5: binary_frame and too_large close the socket that sent them, and only it. */
  private static void binaryAndTooLargeFramesCloseOnlyTheirSocket(NodeProcess node, Rest.User user, String room, Random random) {
    byte[] binary = new byte[1 + random.nextInt(256)];
    random.nextBytes(binary);
    try (WsClient ws = WsClient.of(node, user)) {
      ws.sendBinary(binary);
      assertEquals("binary_frame", ws.await("closing", T).path("reason").asText());
      ws.awaitClosed(T);
    }
    try (WsClient ws = WsClient.of(node, user)) {
      ws.send("{\"type\":\"send\",\"room\":\"" + room + "\",\"clientId\":\"big\",\"text\":\"" + "z".repeat(MAX_FRAME_BYTES) + "\"}");
      assertEquals("too_large", ws.await("closing", T).path("reason").asText());
      ws.awaitClosed(T);
    }
  }

  /** Mutated real bodies to every REST call that takes one: each answered, a bad one with 400 bad_request, none with 5xx. */
  private static int fuzzBodies(Rest rest, Rest.User user, String room, Rest.User member, Random random) {
    List<String> corpus = FuzzInputs.seeds("pekkochat/http/RestBodyFuzzTestInputs/anyBodyIsABodyOrABadRequest");
    List<Function<String, Rest.Resp>> credentialCalls = List.of(
        body -> rest.post("/api/register", null, body),
        body -> rest.post("/api/login", null, body));
    List<Function<String, Rest.Resp>> calls = List.of(
        body -> rest.post("/api/rooms", user.token(), body),
        body -> rest.post("/api/rooms/" + room + "/invites", user.token(), body),
        body -> rest.send(rest.request("/api/rooms/" + room + "/members/" + member.name(), user.token())
            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body))));
    long deadline = System.nanoTime() + BODIES_BUDGET.toNanos();
    int sent = 0;
    for (int i = 0; i < FUZZ_BODIES_PER_CALL && System.nanoTime() < deadline; i++) {
      for (Function<String, Rest.Resp> call : calls) {
        answered(call, FuzzInputs.mutated(corpus, random));
        sent++;
      }
      if (i < FUZZ_CREDENTIALS_PER_CALL) {
        for (Function<String, Rest.Resp> call : credentialCalls) {
          answered(call, FuzzInputs.mutated(corpus, random));
          sent++;
        }
      }
    }
    return sent;
  }

  private static void answered(Function<String, Rest.Resp> call, String body) {
    Rest.Resp resp = call.apply(body);
    assertTrue(resp.status() < 500, () -> "no 5xx for " + Json.abbreviate(body) + ": " + resp.status() + " " + resp.body());
    if (resp.status() >= 400) {
      JsonNode error = resp.json();
      assertTrue(error != null && error.path("error").path("code").isTextual() && error.path("error").path("message").isTextual(),
          () -> "PROTOCOL.md's error body for " + Json.abbreviate(body) + ": " + resp.body());
      if (resp.status() == 400) assertEquals("bad_request", error.path("error").path("code").asText(), resp.body());
    }
  }

  /** The well-behaved socket: its ping answered, its send acked. */
  private static void goodIsServed(WsClient goodSocket, String room, String when) {
    goodSocket.assertAlive();
    String clientId = goodSocket.nextRef();
    JsonNode ack = goodSocket.sendAndAck(room, clientId, "still here " + when);
    assertTrue(ack.path("seq").asLong() > 0, () -> when + ": " + ack);
  }
}
