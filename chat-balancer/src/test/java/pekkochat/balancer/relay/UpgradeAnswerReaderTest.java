package pekkochat.balancer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** The upgrade the balancer writes, and its reading of the backend's answer, on bytes split at every few bytes. */
class UpgradeAnswerReaderTest {

  private static final UpgradeAnswerReader.Limits LIMITS = new UpgradeAnswerReader.Limits(16 * 1024, 64 * 1024, Duration.ofSeconds(3));

  /** {@code answer} fed in pieces of {@code piece} bytes; {@code end}: the connection closes after it. */
  private static UpgradeAnswer read(UpgradeAnswerReader reader, String answer, int piece, boolean end) {
    ByteString bytes = ByteString.fromString(answer, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.size(); i += piece) {
      Optional<UpgradeAnswer> got = reader.read(bytes.slice(i, Math.min(bytes.size(), i + piece)));
      if (got.isPresent()) return got.get();
    }
    if (end) return reader.end();
    return null;
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
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeRequest.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @Test
  void a101IsAcceptedAndTheFramesBehindItAreLeftUntouched() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of("chat.v1"));
    UpgradeAnswerReader reader = new UpgradeAnswerReader(request, LIMITS);
    String frames = "\u0081\u0002hi\u0082\u0000";
    String answer = accepted(request) + frames;
    // the frames come in the read that completes the head
    assertEquals(new UpgradeAnswer.Accepted(Optional.of("chat.v1")), read(reader, answer, answer.length() - 3, false));
    assertEquals(ByteString.fromString(frames.substring(0, frames.length() - 3), StandardCharsets.ISO_8859_1), reader.rest());
  }

  @Test
  void a101WithAWrongAcceptIsNotAWebSocket() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    String wrong = accepted(request).replace(request.expectedAccept(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThrows(HandshakeFailed.class, () -> read(new UpgradeAnswerReader(request, LIMITS), wrong, 5, false));
  }

  @Test
  void aRefusalKeepsItsStatusHeadersAndBodyAndIsFramedAnew() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    String body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"no ticket\"}}";
    UpgradeAnswer answer = read(new UpgradeAnswerReader(request, LIMITS),
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body, 3, false);
    UpgradeAnswer.Refused refusal = assertInstanceOf(UpgradeAnswer.Refused.class, answer);
    assertEquals(401, refusal.status());
    String wire = refusal.bytes().utf8String();
    assertTrue(wire.startsWith("HTTP/1.1 401 Unauthorized\r\n"), wire);
    assertTrue(wire.contains("\r\nWWW-Authenticate: Bearer\r\nContent-Type: application/json\r\n"), wire);
    assertFalse(wire.contains("keep-alive"), wire);
    assertTrue(wire.endsWith("\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body), wire);
  }

  @Test
  void aChunkedOrUnsizedRefusalIsReadWhole() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    UpgradeAnswer chunked = read(new UpgradeAnswerReader(request, LIMITS),
        "HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + "5\r\n{\"err\r\n6;x=y\r\nor\":1}\r\n0\r\n\r\n", 4, false);
    assertTrue(bodyOf(chunked).endsWith("Content-Length: 11\r\nConnection: close\r\n\r\n{\"error\":1}"), bodyOf(chunked));
    UpgradeAnswer unsized = read(new UpgradeAnswerReader(request, LIMITS),
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndraining", 4, true);
    assertTrue(bodyOf(unsized).endsWith("\r\n\r\ndraining"), bodyOf(unsized));
  }

  private static String bodyOf(UpgradeAnswer answer) {
    return assertInstanceOf(UpgradeAnswer.Refused.class, answer).bytes().utf8String();
  }

  @Test
  void anEarlyEndATooLargeHeadOrNotHttpFail() {
    UpgradeRequest request = UpgradeRequest.create("/ws", List.of(), List.of());
    assertThrows(HandshakeFailed.class, () -> read(new UpgradeAnswerReader(request, LIMITS), "HTTP/1.1 101 Switching", 4, true));
    assertThrows(HandshakeFailed.class,
        () -> read(new UpgradeAnswerReader(request, LIMITS), "HTTP/1.1 200 OK\r\nX: " + "y".repeat(20_000), 1000, false));
    assertThrows(HandshakeFailed.class, () -> read(new UpgradeAnswerReader(request, LIMITS), "SSH-2.0-OpenSSH\r\n\r\n", 4, false));
  }
}
