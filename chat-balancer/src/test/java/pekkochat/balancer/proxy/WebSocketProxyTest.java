package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.node.Ports;
import pekkochat.testkit.ws.WsClient;

/** WebSocket proxying against in-test backends: frames, refusals, headers, closes and spreading. */
class WebSocketProxyTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EchoBackend a;
  private static EchoBackend b;
  private static InProcessBalancer balancer;

  @BeforeAll
  static void start() {
    a = new EchoBackend("a", Ports.free());
    b = new EchoBackend("b", Ports.free());
    balancer = new InProcessBalancer(List.of(a.address(), b.address()), "balancer.health.interval = 200ms");
    balancer.awaitUp(List.of(a.address(), b.address()));
  }

  @AfterAll
  static void stop() {
    if (balancer != null) balancer.close();
    if (a != null) a.close();
    if (b != null) b.close();
  }

  @Test
  void textAndBinaryFramesFlowBothWaysInOrder() {
    // #whole-frames
    try (WsClient client = WsClient.connect(balancer.ws("/ws?token=good"), Map.of())) {
      for (int seq = 1; seq <= 200; seq++) client.send("{\"seq\":" + seq + "}");
      for (int seq = 1; seq <= 200; seq++) assertEquals("{\"seq\":" + seq + "}", client.nextText(WAIT));
      byte[] bytes = {0, 1, 2, (byte) 255};
      client.sendBinary(bytes);
      assertArrayEquals(bytes, client.nextFrame(WAIT).bytes());
    }
    // #whole-frames
  }

  @Test
  void pathQueryAndRelevantHeadersReachTheBackend() throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Origin", "http://chat.example");
    headers.put("Authorization", "Bearer abc");
    headers.put("X-Forwarded-For", "203.0.113.7");
    headers.put("Sec-WebSocket-Protocol", "chat.v1");
    try (WsClient client = WsClient.connect(balancer.ws("/ws?token=good&x=1%202"), headers)) {
      assertEquals("chat.v1", client.subprotocol());
      client.send("whoami");
      JsonNode seen = JSON.readTree(client.nextText(WAIT));
      assertEquals("/ws", seen.get("path").asText());
      assertEquals("token=good&x=1%202", seen.get("query").asText());
      JsonNode h = seen.get("headers");
      assertEquals("http://chat.example", h.get("origin").asText());
      assertEquals("Bearer abc", h.get("authorization").asText());
      assertEquals("203.0.113.7, 127.0.0.1", h.get("x-forwarded-for").asText());
      assertEquals("http", h.get("x-forwarded-proto").asText());
      // Host is kept as the client sent it (the balancer's address), so no X-Forwarded-Host is added
      assertEquals(URI.create(balancer.http("")).getAuthority(), h.get("host").asText());
      assertFalse(h.has("x-forwarded-host"), h.toString());
    }
  }

  @Test
  void aRefusedUpgradeKeepsItsStatus() {
    assertEquals(401, WsClient.upgradeStatus(balancer.ws("/ws?token=bad"), Map.of()));
    assertEquals(403, WsClient.upgradeStatus(balancer.ws("/ws?token=good"), Map.of("Origin", EchoBackend.FOREIGN_ORIGIN)));
    Waits.until(WAIT, "refused upgrades hold no socket", () -> balancer.status().get("openSockets").asInt() == 0);
  }

  @Test
  void theBackendsClosingFrameAndCloseReachTheClient() {
    try (WsClient client = WsClient.connect(balancer.ws("/ws?token=good"), Map.of())) {
      client.send("bye");
      assertEquals("{\"type\":\"closing\",\"reason\":\"idle\",\"message\":\"bye\"}", client.nextText(WAIT));
      WsClient.Closed closed = client.closed().orTimeout(5, TimeUnit.SECONDS).join();
      assertEquals(1000, closed.code(), closed.toString());
    }
    Waits.until(WAIT, "closed socket no longer counted", () -> balancer.status().get("openSockets").asInt() == 0);
  }

  @Test
  void socketsSpreadByFewestOpenAndAreCountedUntilClosed() {
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) clients.add(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()));
      assertEquals(5, balancer.backend(a.address()).get("openSockets").asInt());
      assertEquals(5, balancer.backend(b.address()).get("openSockets").asInt());
      for (int i = 0; i < 4; i++) clients.remove(0).close();
      Waits.until(WAIT, "6 open", () -> balancer.status().get("openSockets").asInt() == 6);
      // the next sockets fill up whichever backend lost more, until the two are even again
      int aOpen = balancer.backend(a.address()).get("openSockets").asInt();
      int bOpen = balancer.backend(b.address()).get("openSockets").asInt();
      for (int i = 0; i < Math.abs(aOpen - bOpen); i++) clients.add(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()));
      int even = Math.max(aOpen, bOpen);
      assertEquals(even, balancer.backend(a.address()).get("openSockets").asInt());
      assertEquals(even, balancer.backend(b.address()).get("openSockets").asInt());
    } finally {
      clients.forEach(WsClient::close);
    }
  }
}
