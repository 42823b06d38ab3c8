package pekkochat.balancer.front;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.relay.UpgradeAnswerReader;
import pekkochat.balancer.support.WireFrames;

/**
 * A splice on a real selector loop between two loopback socket pairs: what the client gets when
 * the node's side ends, when the client closed first, and when the balancer drains.
 */
class SpliceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Front.WebSocket WEB_SOCKET = new Front.WebSocket("/ws", 2, Duration.ofSeconds(1),
      new UpgradeAnswerReader.Limits(16 * 1024, 64 * 1024, Duration.ofSeconds(1)), "node gone", "balancer stopping", 1024 * 1024);
  private static final long IDLE_NANOS = Duration.ofMinutes(1).toNanos();

  private final SelectorLoop loop = new SelectorLoop(64 * 1024, Duration.ofMillis(50).toNanos());
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final CountDownLatch backendEnded = new CountDownLatch(1);
  private Socket client;
  private Socket node;

  @BeforeEach
  void splice() throws Exception {
    Thread thread = new Thread(loop, "splice-test-loop");
    thread.setDaemon(true);
    thread.start();
    SocketChannel clientSide = acceptedPair(s -> client = s);
    SocketChannel nodeSide = acceptedPair(s -> node = s);
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        clientSide.configureBlocking(false);
        nodeSide.configureBlocking(false);
        SelectionKey clientKey = clientSide.register(loop.selector(), 0);
        SelectionKey nodeKey = nodeSide.register(loop.selector(), 0);
        new Splice(loop, clientKey, nodeKey, WEB_SOCKET, IDLE_NANOS, backendEnded::countDown)
            .start(new byte[0], new byte[0], new byte[0]);
        started.complete(null);
      } catch (Exception e) {
        started.completeExceptionally(e);
      }
    });
    started.get(5, TimeUnit.SECONDS);
  }

  /** A connected pair: the balancer's channel returned, the peer's blocking socket handed to {@code keep}. */
  private SocketChannel acceptedPair(Consumer<Socket> keep) throws Exception {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Socket peer = new Socket();
      peer.connect(listener.getLocalAddress());
      peer.setSoTimeout(5000);
      toClose.add(peer);
      keep.accept(peer);
      SocketChannel accepted = listener.accept();
      toClose.add(accepted);
      return accepted;
    }
  }

  @AfterEach
  void stop() throws Exception {
    loop.stopBy(System.nanoTime(), new CompletableFuture<>());
    for (AutoCloseable c : toClose) c.close();
  }

  private static List<WireFrames.Frame> framesUntilEnd(InputStream in) throws Exception {
    List<WireFrames.Frame> frames = new ArrayList<>();
    try {
      while (true) frames.add(WireFrames.read(in));
    } catch (EOFException end) {
      return frames;
    }
  }

  private static void assertLastWord(List<WireFrames.Frame> frames, String message) throws Exception {
    assertEquals(2, frames.size(), frames.toString());
    assertEquals("draining", JSON.readTree(frames.get(0).text()).get("reason").asText());
    assertEquals(message, JSON.readTree(frames.get(0).text()).get("message").asText());
    assertEquals(1001, frames.get(1).closeCode());
  }

  @Test
  void aNodeThatEndsWithoutItsCloseLeavesTheClientTheBalancersLastWord() throws Exception {
    byte[] text = WireFrames.unmasked(WireFrames.TEXT, true, WireFrames.utf8("{\"type\":\"message\"}"));
    node.getOutputStream().write(text);
    assertArrayEquals(text, client.getInputStream().readNBytes(text.length));
    node.close();
    assertLastWord(framesUntilEnd(client.getInputStream()), "node gone");
    assertTrue(backendEnded.await(5, TimeUnit.SECONDS));
  }

  @Test
  void afterTheClientsCloseNothingOfTheBalancersFollows() throws Exception {
    byte[] close = WireFrames.masked(WireFrames.CLOSE, true, WireFrames.closePayload(1000, ""));
    client.getOutputStream().write(close);
    assertArrayEquals(close, node.getInputStream().readNBytes(close.length));
    node.close();
    assertEquals(-1, client.getInputStream().read());
  }

  @Test
  void aDrainingBalancerSaysSoAndEndsTheNodesConnection() throws Exception {
    loop.forEach(SelectorLoop.Attachment::drain);
    assertLastWord(framesUntilEnd(client.getInputStream()), "balancer stopping");
    assertEquals(-1, node.getInputStream().read());
    assertTrue(backendEnded.await(5, TimeUnit.SECONDS));
  }
}
