package pekkochat.balancer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upgrade the balancer writes, and its reading of the backend's answer, on bytes split at every few bytes. */
class HandshakeStageTest {

  private static final HandshakeStage.Limits LIMITS = new HandshakeStage.Limits(16 * 1024, 64 * 1024, Duration.ofSeconds(3));
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    // the test JVM must outlive this system (application.conf on the class path says exit-jvm = on)
    system = ActorSystem.create(Behaviors.empty(), "handshake-test",
        ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = off").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** {@code answer} split into pieces of {@code piece} bytes, through the stage: its answer and the bytes it passed on. */
  private static Pair<CompletionStage<UpgradeAnswer>, CompletionStage<ByteString>> run(UpgradeRequest request, String answer, int piece, boolean end) {
    ByteString bytes = ByteString.fromString(answer, StandardCharsets.ISO_8859_1);
    List<ByteString> pieces = new ArrayList<>();
    for (int i = 0; i < bytes.size(); i += piece) pieces.add(bytes.slice(i, Math.min(bytes.size(), i + piece)));
    Source<ByteString, ?> source = end ? Source.from(pieces) : Source.from(pieces).concat(Source.never());
    return source.viaMat(new HandshakeStage(request, LIMITS), Keep.right())
        .toMat(Sink.fold(ByteString.emptyByteString(), ByteString::concat), Keep.both())
        .run(system);
  }

  private static UpgradeAnswer answerOf(Pair<CompletionStage<UpgradeAnswer>, CompletionStage<ByteString>> run) {
    return run.first().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }

  private static String accepted(UpgradeRequest request) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + request.expectedAccept() + "\r\nSec-WebSocket-Protocol: chat.v1\r\n\r\n";
  }

  @Test
  void theRequestCarriesTheHandshakeAndThePassedHeaders() {
    UpgradeRequest request = UpgradeRequest.create("/ws?token=a%20b",
        List.of(RawHeader.create("Host", "chat.example:8000"), RawHeader.create("Origin", "http://chat.example")), List.of("chat.v1", "chat.v0"));
    String head = request.bytes().utf8String();
    assertTrue(head.startsWith("GET /ws?token=a%20b HTTP/1.1\r\n"), head);
    assertTrue(head.contains("\r\nHost: chat.example:8000\r\n"), head);
    assertTrue(head.contains("\r\nOrigin: http://chat.example\r\n"), head);
    assertTrue(head.contains("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"), head);
    assertTrue(head.contains("\r\nSec-WebSocket-Key: " + request.key() + "\r\n"), head);
    assertTrue(head.contains("\r\nSec-WebSocket-Protocol: chat.v1, chat.v0\r\n"), head);
    assertTrue(head.endsWith("\r\n\r\n"), head);
  }

  @Test
  void theAcceptKeyIsRfc6455s() {
    // the example of RFC 6455 section 1.3
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", new UpgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", ByteString.emptyByteString()).expectedAccept());
  }

  @Test
  void a101IsAcceptedAndTheFramesBehindItPassUntouched() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of("chat.v1"));
    var run = run(request, accepted(request) + "\u0081\u0002hi\u0082\u0000", 7, true);
    assertEquals(new UpgradeAnswer.Accepted(Optional.of("chat.v1")), answerOf(run));
    assertEquals(ByteString.fromString("\u0081\u0002hi\u0082\u0000", StandardCharsets.ISO_8859_1),
        run.second().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join());
  }

  @Test
  void a101WithAWrongAcceptIsNotAWebSocket() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    String wrong = accepted(request).replace(request.expectedAccept(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CompletionException failed = assertThrows(CompletionException.class, () -> answerOf(run(request, wrong, 5, false)));
    assertInstanceOf(HandshakeFailed.class, failed.getCause());
  }

  @Test
  void aRefusalKeepsItsStatusHeadersAndBody() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    String body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"no ticket\"}}";
    var run = run(request, "HTTP/1.1 401 Unauthorized\r\nServer: node\r\nWWW-Authenticate: Bearer\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body, 3, false);
    HttpResponse refusal = assertInstanceOf(UpgradeAnswer.Refused.class, answerOf(run)).response();
    assertEquals(401, refusal.status().intValue());
    assertEquals("Bearer", refusal.getHeader("WWW-Authenticate").orElseThrow().value());
    assertTrue(refusal.getHeader("Server").isEmpty(), "the balancer's server renders its own Server header");
    assertEquals("application/json", refusal.entity().getContentType().toString());
    assertEquals(body, refusal.entity().toStrict(1000, system).toCompletableFuture().join().getData().utf8String());
  }

  @Test
  void aChunkedOrUnsizedRefusalIsReadWhole() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    var chunked = run(request, "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        + "5\r\n{\"err\r\n6;x=y\r\nor\":1}\r\n0\r\n\r\n", 4, false);
    assertEquals("{\"error\":1}", bodyOf(answerOf(chunked)));
    var unsized = run(request, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndraining", 4, true);
    assertEquals("draining", bodyOf(answerOf(unsized)));
  }

  private static String bodyOf(UpgradeAnswer answer) {
    return assertInstanceOf(UpgradeAnswer.Refused.class, answer).response().entity()
        .toStrict(1000, system).toCompletableFuture().join().getData().utf8String();
  }

  @Test
  void noAnswerTooLargeAnHeadOrAnEarlyEndFail() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    assertThrows(CompletionException.class, () -> answerOf(run(request, "HTTP/1.1 101 Switching", 4, true)));
    assertThrows(CompletionException.class, () -> answerOf(run(request, "HTTP/1.1 200 OK\r\nX: " + "y".repeat(20_000), 1000, false)));
    assertThrows(CompletionException.class, () -> answerOf(run(request, "SSH-2.0-OpenSSH\r\n\r\n", 4, false)));
  }
}
