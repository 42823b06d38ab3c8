package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pekkochat.testkit.ws.RawWsSocket;

/**
 * The node-wide idle timeout of plain HTTP connections, on a real Pekko HTTP server (with Pekko's
 * own idle timeout off, as in the node) and raw TCP clients: what is idle is closed, what is
 * busy or upgraded is not.
 */
@Timeout(30)
class IdleConnectionsTest {
  private static final Duration IDLE = Duration.ofMillis(600);
  private static final Duration CHECK = Duration.ofMillis(100);
  /** Longer than the timeout: a request or a body that takes this long must not be cut. */
  private static final Duration BUSY = IDLE.multipliedBy(3);
  private static final int BODY_CHUNKS = 10;
  private static final int MAX_EOF_WAIT_MS = 5_000;
  private static ActorSystem<Void> system;
  private static IdleConnections idle;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "idle",
        ConfigFactory.parseString("pekko.http.server.idle-timeout = infinite").withFallback(ConfigFactory.load()));
    idle = new IdleConnections(system, IDLE, CHECK);
    AllDirectives d = new AllDirectives() {};
    Route routes = d.concat(
        d.path("quick", () -> d.complete("quick")),
        d.path("slow", () -> d.completeWithFuture(CompletableFuture.supplyAsync(
            () -> HttpResponse.create().withEntity("slow"),
            CompletableFuture.delayedExecutor(BUSY.toMillis(), TimeUnit.MILLISECONDS)))),
        d.path("stream", () -> d.complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.TEXT_PLAIN_UTF8, BODY_CHUNKS,
            Source.range(1, BODY_CHUNKS).map(i -> ByteString.fromString("x"))
                .throttle(1, BUSY.dividedBy(BODY_CHUNKS)))))),
        d.path("ws", () -> d.handleWebSocketMessages(Flow.<Message>create())));
    Flow<HttpRequest, HttpResponse, NotUsed> handler = routes.flow(system);
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bindFlow(idle.watching(handler))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void aKeepAliveConnectionWithNoNextRequestIsClosedAfterTheTimeout() throws IOException {
    try (Socket s = connect()) {
      request(s, "/quick");
      assertTrue(readResponse(s).endsWith("quick"));
      long answered = System.nanoTime();
      assertEof(s);
      long waited = System.nanoTime() - answered;
      assertTrue(waited >= IDLE.toNanos() - CHECK.toNanos(), "closed only after the timeout, not " + waited / 1_000_000 + " ms");
    }
  }

  @Test
  void aConnectionThatNeverFinishesItsRequestIsClosed() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET /quick HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEof(s);
    }
  }

  @Test
  void aRequestAnsweredAfterTheTimeoutIsNotCut() throws IOException {
    try (Socket s = connect()) {
      request(s, "/slow");
      assertTrue(readResponse(s).endsWith("slow"));
      request(s, "/quick");
      assertTrue(readResponse(s).endsWith("quick"), "the connection is still usable");
    }
  }

  @Test
  void aBodyThatTakesLongerThanTheTimeoutIsWrittenWhole() throws IOException {
    try (Socket s = connect()) {
      request(s, "/stream");
      assertTrue(readResponse(s).endsWith("x".repeat(BODY_CHUNKS)));
    }
  }

  @Test
  void aWebSocketLeavesTheCheck() throws Exception {
    try (RawWsSocket ws = RawWsSocket.open(port, "/ws", 65_536)) {
      Thread.sleep(BUSY.toMillis());
      assertEquals(0, idle.watchedCount(), "an upgraded connection is not watched");
      ws.sendText("still open");
      assertEquals("still open", ws.nextNonPing(MAX_EOF_WAIT_MS).text());
    }
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), MAX_EOF_WAIT_MS);
    s.setSoTimeout(MAX_EOF_WAIT_MS);
    return s;
  }

  private static void request(Socket s, String path) throws IOException {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** One response with a Content-Length body: head and body as text. */
  private static String readResponse(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) throw new IOException("closed in the head: " + head);
      head.write(c);
    }
    String h = head.toString(StandardCharsets.US_ASCII);
    int at = h.toLowerCase().indexOf("content-length:");
    int length = Integer.parseInt(h.substring(at + "content-length:".length(), h.indexOf("\r\n", at)).trim());
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static void assertEof(Socket s) throws IOException {
    try {
      assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
    } catch (SocketTimeoutException e) {
      throw new AssertionError("still open after " + MAX_EOF_WAIT_MS + " ms");
    }
  }
}
