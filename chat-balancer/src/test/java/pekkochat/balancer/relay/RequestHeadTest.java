package pekkochat.balancer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The front's reading of a client's first request head: a WebSocket upgrade to the path, or not. */
class RequestHeadTest {

  private static Optional<RequestHead> parse(String head) {
    byte[] bytes = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    int end = RequestHead.endOf(ByteBuffer.wrap(bytes), 0, bytes.length);
    assertEquals(bytes.length - 4, end);
    return RequestHead.parse(bytes, end);
  }

  private static final String UPGRADE = "GET /ws?token=x HTTP/1.1\r\nHost: a:1\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n"
      + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: abc==\r\nSec-WebSocket-Protocol: chat.v1, chat.v0";

  @Test
  void anUpgradeToThePathIsOneOfOurs() {
    RequestHead head = parse(UPGRADE).orElseThrow();
    assertEquals("/ws", head.path());
    assertEquals("/ws?token=x", head.target());
    assertEquals(Optional.of("abc=="), head.webSocketKey("/ws"));
    assertEquals(List.of("chat.v1", "chat.v0"), head.subprotocols());
  }

  @Test
  void anythingElseIsNot() {
    assertTrue(parse(UPGRADE).orElseThrow().webSocketKey("/other").isEmpty());
    assertTrue(parse(UPGRADE.replace("Version: 13", "Version: 8")).orElseThrow().webSocketKey("/ws").isEmpty());
    assertTrue(parse(UPGRADE.replace("GET", "POST")).orElseThrow().webSocketKey("/ws").isEmpty());
    assertTrue(parse("GET /ws HTTP/1.1\r\nHost: a").orElseThrow().webSocketKey("/ws").isEmpty());
    assertTrue(parse("GET /ws HTTP/1.0\r\nHost: a").isEmpty());
    assertTrue(parse("garbage").isEmpty());
    assertTrue(parse("GET /ws HTTP/1.1\r\nno colon here").isEmpty());
  }
}
