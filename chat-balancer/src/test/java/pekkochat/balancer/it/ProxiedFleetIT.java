package pekkochat.balancer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.ws.RawWsSocket;
import pekkochat.testkit.ws.WsClient;

/** Three real nodes behind a real balancer: spreading, messages both ways, refusals, closes, REST. */
class ProxiedFleetIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SOCKETS = 30;
  private static final int MESSAGES = 20;

  @TempDir static Path dir;
  private static ChatFleet fleet;
  private static final List<ChatSocket> sockets = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fleet = new ChatFleet(dir, 3);
    for (int i = 0; i < SOCKETS; i++) sockets.add(ChatSocket.open(fleet));
    for (ChatSocket socket : sockets) socket.locate(fleet);
  }

  @AfterAll
  static void stop() {
    sockets.forEach(ChatSocket::close);
    if (fleet != null) fleet.close();
  }

  @Test
  void socketsSpreadEvenlyByFewestOpen() {
    Map<Integer, Integer> perNode = new HashMap<>();
    for (ChatSocket socket : sockets) perNode.merge(socket.node.index, 1, Integer::sum);
    assertEquals(Map.of(1, 10, 2, 10, 3, 10), perNode);
    // other tests open and close sockets of their own: wait until those are released
    Waits.until(Duration.ofSeconds(5), "10 open sockets on each node in the balancer's status",
        () -> fleet.nodes.stream().allMatch(n -> fleet.backendStatus(n).get("openSockets").asInt() == 10));
  }

  @Test
  void messagesFlowBothWaysWithSeqsIntact() {
    for (ChatFleet.Node node : fleet.nodes) {
      List<ChatSocket> here = sockets.stream().filter(s -> s.node == node).toList();
      ChatSocket sender = here.get(0);
      ChatSocket reader = here.get(1);
      long firstSeq = -1;
      for (int i = 0; i < MESSAGES; i++) {
        String clientId = "n" + node.index + "-" + i;
        sender.send(Map.of("type", "send", "room", node.roomId, "clientId", clientId, "text", "hello " + i, "ref", clientId));
        JsonNode ack = sender.nextMatching(o -> ChatSocket.ofType("ack").test(o) && o.path("clientId").asText().equals(clientId), ChatSocket.WAIT);
        long seq = ack.get("seq").asLong();
        if (firstSeq < 0) firstSeq = seq;
        assertEquals(firstSeq + i, seq, "acks carry consecutive seqs");
      }
      for (int i = 0; i < MESSAGES; i++) {
        String clientId = "n" + node.index + "-" + i;
        JsonNode message = reader.nextMatching(o -> ChatSocket.ofType("message").test(o) && o.path("clientId").asText().startsWith("n" + node.index + "-"), ChatSocket.WAIT);
        assertEquals(clientId, message.get("clientId").asText());
        assertEquals(firstSeq + i, message.get("seq").asLong());
        assertEquals("hello " + i, message.get("text").asText());
      }
    }
  }

  @Test
  void aRefusedUpgradeKeepsItsStatus() {
    assertEquals(401, WsClient.upgradeStatus(fleet.balancerWs("/ws?token=not-a-token"), Map.of()));
    assertEquals(403, WsClient.upgradeStatus(fleet.balancerWs("/ws?token=" + fleet.token), Map.of("Origin", "http://evil.example")));
    // the node's same-origin check sees the address the client used: the balancer's
    String ownOrigin = "http://127.0.0.1:" + fleet.balancerPort;
    assertEquals(101, WsClient.upgradeStatus(fleet.balancerWs("/ws?token=" + fleet.token), Map.of("Origin", ownOrigin)));
  }

  /**
   * Issue #13, acceptance 5 through the balancer: a 70 KiB message, as one frame or as
   * continuation frames, reaches a node in pieces; the node's {@code closing too_large} and its
   * close come back through the balancer every time, with no {@code draining} of the balancer's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"one frame", "continuation frames"})
  void aTooLargeMessageGetsItsClosingThroughTheBalancer20TimesInARow(String how) throws IOException {
    String message = JSON.writeValueAsString(Map.of("type", "send", "room", fleet.nodes.get(0).roomId,
        "clientId", "big", "text", "b".repeat(70 * 1024)));
    for (int i = 0; i < 20; i++) {
      String attempt = how + ", attempt " + (i + 1);
      try (RawWsSocket raw = RawWsSocket.open(fleet.balancerPort, "/ws?token=" + fleet.token, 1 << 16)) {
        if (how.equals("one frame")) raw.sendText(message);
        else raw.sendFragmented(message, 10);
        raw.expectClosingThenClose("too_large", (int) ChatSocket.WAIT.toMillis(), attempt);
      }
    }
  }

  @Test
  void theNodesClosingFrameAndCloseReachTheClient() {
    try (ChatSocket socket = ChatSocket.open(fleet)) {
      // a binary frame makes the node close the socket with reason binary_frame (PROTOCOL.md section 5)
      socket.ws.sendBinary(new byte[] {1, 2, 3});
      JsonNode closing = socket.nextMatching(ChatSocket.ofType("closing"), ChatSocket.WAIT);
      assertEquals("binary_frame", closing.get("reason").asText());
      WsClient.Closed closed = socket.ws.closed().orTimeout(10, TimeUnit.SECONDS).join();
      assertNotEquals(-1, closed.code(), "closed by a close frame, not a broken connection: " + closed);
      // the node's own closing frame was the last one: the balancer added none of its own
      assertFalse(socket.hasPending(), "a frame after the node's closing frame");
    }
  }

  @Test
  void restCallsGoThroughToTheNodes() throws Exception {
    Map<String, Integer> answeredBy = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      var response = fleet.get(fleet.balancerUrl("/api/rooms"), fleet.token);
      assertEquals(200, response.statusCode(), response.body());
      String room = JSON.readTree(response.body()).get("rooms").get(0).get("name").asText();
      answeredBy.merge(room, 1, Integer::sum);
    }
    assertEquals(Map.of("room-of-node-1", 2, "room-of-node-2", 2, "room-of-node-3", 2), answeredBy);
    assertEquals(404, fleet.get(fleet.balancerUrl("/metrics"), null).statusCode());
    assertEquals(200, fleet.get(fleet.balancerUrl("/readyz"), null).statusCode());
  }
}
