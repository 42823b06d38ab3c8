package pekkochat.balancer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client behind the balancer that joins a busy room and then reads nothing. The balancer must
 * pass the back-pressure on to the node instead of buffering for the client, so that the node's
 * own bound (its outbound queue per socket) is reached and the node closes the socket as a slow
 * consumer (seen in the node's {@code chat_ws_closed_total{reason="slow_consumer"}}). A balancer
 * that buffered would keep reading, and the node would never find the socket slow.
 */
class SlowClientIT {

  private static final int NODE_QUEUE = 256;
  private static final String TEXT = "y".repeat(4000);
  /** far more than the socket buffers on both hops and the node's queue can hold, in 4 KB messages */
  private static final int MAX_MESSAGES = 20_000;
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(200);

  @TempDir Path dir;
  private ChatFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) fleet.close();
  }

  @Test
  void theNodeSeesTheSlowClientThroughTheBalancerAndClosesIt() throws Exception {
    fleet = new ChatFleet(dir, 1, List.of(
        // the send rate limit would make the flood take minutes; a small queue makes the bound quick to reach
        "-Dchat.ws.rate-limit.burst=1000000", "-Dchat.ws.rate-limit.per-second=1000000",
        "-Dchat.ws.outbound-queue-size=" + NODE_QUEUE), List.of());
    ChatFleet.Node node = fleet.nodes.get(0);
    try (Socket slow = new Socket(); ChatSocket sender = ChatSocket.open(fleet)) {
      slow.setReceiveBufferSize(16 * 1024);
      slow.connect(new InetSocketAddress("127.0.0.1", fleet.balancerPort), 5000);
      upgrade(slow, "127.0.0.1:" + fleet.balancerPort, "/ws?token=" + fleet.token);
      sendMaskedText(slow.getOutputStream(), "{\"type\":\"join\",\"room\":\"" + node.roomId + "\"}");
      sender.locate(fleet);
      assertEquals(2, fleet.backendStatus(node).get("openSockets").asInt());

      long deadline = System.nanoTime() + LIMIT.toNanos();
      int sent = 0;
      while (slowConsumerCloses(node) == 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the node never found the client slow after " + sent
              + " messages of 4 KB: the balancer is buffering for it; node: " + socketMeters(node));
        }
        if (sent < MAX_MESSAGES) {
          for (int i = 0; i < 100; i++, sent++) {
            sender.send(Map.of("type", "send", "room", node.roomId, "clientId", "flood-" + sent, "text", TEXT));
          }
          // the sender reads at its own pace: a room that commits in groups acks a burst at once,
          // and a reader that fell a whole burst behind would be over its own bound too
          sender.ws.awaitAck("flood-" + (sent - 1), LIMIT);
        } else {
          // all sent: the node still has to store and fan them out before the queue can overflow
          Thread.sleep(POLL.toMillis());
        }
      }
      // the sender, which reads, was not touched
      assertFalse(sender.ws.closed().isDone(), "the reading socket was closed too");
    }
  }

  /** How many sockets the node closed as slow consumers, from its own Prometheus meters. */
  private long slowConsumerCloses(ChatFleet.Node node) throws Exception {
    return fleet.get(node.url("/metrics"), null).body().lines()
        .filter(l -> l.startsWith("chat_ws_closed_total") && l.contains("reason=\"slow_consumer\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The node's own socket meters, for the failure message. */
  private String socketMeters(ChatFleet.Node node) throws Exception {
    return fleet.get(node.url("/metrics"), null).body().lines().filter(l -> l.startsWith("chat_ws")).toList().toString();
  }

  private static void upgrade(Socket socket, String authority, String pathAndQuery) throws Exception {
    byte[] nonce = new byte[16];
    new Random().nextBytes(nonce);
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + authority + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new AssertionError("closed during the upgrade: " + head);
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new AssertionError("upgrade refused: " + head);
  }

  /** One client text frame (RFC 6455 section 5.2: FIN, opcode 1, masked), payload under 126 bytes. */
  private static void sendMaskedText(OutputStream out, String text) throws Exception {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    if (payload.length >= 126) throw new IllegalArgumentException("short frames only");
    byte[] mask = new byte[4];
    new Random().nextBytes(mask);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    out.write(frame);
    out.flush();
  }
}
