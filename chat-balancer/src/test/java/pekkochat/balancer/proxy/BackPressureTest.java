package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.testkit.node.Ports;

/**
 * A client that stops reading: the balancer must stop reading from the backend instead of
 * buffering, so that what the backend may write levels off at the sum of the bounded buffers
 * on the way (socket buffers and a few stream buffers), however long the client does not read.
 */
class BackPressureTest {

  private static final int CLIENT_RECEIVE_BUFFER = 16 * 1024;
  /** generous: loopback socket buffers on both hops plus stream buffers, in 1 KiB frames */
  private static final long BOUND_FRAMES = 32 * 1024;
  /** frames the backend may still write during the second look, when back-pressure holds */
  private static final long LEVELLED_OFF_FRAMES = 64;

  @Test
  void aClientThatDoesNotReadHoldsTheBackendBackInsteadOfFillingTheBalancer() throws Exception {
    try (EchoBackend backend = new EchoBackend("flood", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(backend.address()), "");
        Socket client = new Socket()) {
      balancer.awaitUp(List.of(backend.address()));
      client.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
      URIParts target = new URIParts(URI.create(balancer.http("")));
      client.connect(new InetSocketAddress(target.host, target.port), 5000);
      upgrade(client, target.authority, "/ws?token=good&flood=1");

      // the client reads nothing from here on
      Thread.sleep(3000);
      long first = backend.flooded();
      Thread.sleep(3000);
      long second = backend.flooded();
      assertTrue(first > 0, "the flood never started");
      assertTrue(second < BOUND_FRAMES, "backend wrote " + second + " frames into a client that reads nothing");
      assertTrue(second - first < LEVELLED_OFF_FRAMES, "backend still writing: " + first + " then " + second);
    }
  }

  /** Sends a WebSocket upgrade by hand and reads the response head, and nothing more. */
  private static void upgrade(Socket socket, String authority, String pathAndQuery) throws Exception {
    byte[] nonce = new byte[16];
    new Random().nextBytes(nonce);
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + authority + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new AssertionError("connection closed during the upgrade: " + head);
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new AssertionError("upgrade refused: " + head);
  }

  private record URIParts(String host, int port, String authority) {
    URIParts(URI uri) {
      this(uri.getHost(), uri.getPort(), uri.getAuthority());
    }
  }
}
