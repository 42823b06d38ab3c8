package pekkochat.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node's own TCP layer under Pekko HTTP's server layer, with bare sockets as clients: requests
 * and the peer's address get through, writes the socket cannot take at once are finished later,
 * a broken response resets the connection, and the connection cap and unbind hold.
 */
@Timeout(60)
class TcpServerTest {
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Far beyond what the kernel's socket buffers hold, so that writes end up partial. */
  private static final int BIG_BYTES = 8 * 1024 * 1024;
  private static final int UPLOAD_BYTES = 4 * 1024 * 1024;
  private static final int SMALL_RECEIVE_BUFFER = 4 * 1024;
  private static final Duration STALL = Duration.ofMillis(500);
  private static final Duration NO_ANSWER = Duration.ofMillis(700);
  private static final int CLIENT_TIMEOUT_MS = 10_000;
  private static final int UNCAPPED = 100;
  private static ActorSystem<Void> system;
  private static TcpServer server;

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "transport", ConfigFactory.parseString(
        "pekko.http.server.parsing.max-content-length = 16m\npekko.actor.provider = local\n"
            + "pekko.coordinated-shutdown.exit-jvm = off").withFallback(ConfigFactory.load()));
    server = bind(UNCAPPED);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static TcpServer bind(int maxConnections) throws Exception {
    TransportSettings settings = new TransportSettings("127.0.0.1", 0, 16, maxConnections, 1, CHUNK_BYTES,
        Duration.ofMillis(100));
    return TcpServer.bind(system, settings, HttpConnections.serving(system, routes().flow(system)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Route routes() {
    AllDirectives d = new AllDirectives() {};
    return d.concat(
        d.path("peer", () -> d.extractRequest(request -> d.complete(
            request.getAttribute(AttributeKeys.remoteAddress)
                .map(a -> a.getAddress().map(InetAddress::getHostAddress).orElse("?") + ":" + a.getPort())
                .orElse("none")))),
        d.path("big", () -> d.complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.APPLICATION_OCTET_STREAM, BIG_BYTES,
            Source.range(0, BIG_BYTES / CHUNK_BYTES - 1).map(i -> ByteString.fromArrayUnsafe(pattern(i, CHUNK_BYTES))))))),
        d.path("upload", () -> d.entity(Unmarshaller.entityToByteString(),
            body -> d.complete(body.size() + " " + crc(body.toArray())))),
        d.path("broken", () -> d.complete(HttpResponse.create().withEntity(HttpEntities.create(
            ContentTypes.APPLICATION_OCTET_STREAM, BIG_BYTES,
            Source.single(ByteString.fromArrayUnsafe(pattern(0, CHUNK_BYTES)))
                .concat(Source.failed(new IllegalStateException("this response breaks on purpose"))))))),
        d.path("slow", () -> d.completeWithFuture(CompletableFuture.supplyAsync(
            () -> HttpResponse.create().withEntity("slow"),
            CompletableFuture.delayedExecutor(STALL.toMillis(), TimeUnit.MILLISECONDS)))));
  }

  /** Chunk {@code index} of a body whose bytes all differ from their neighbours' chunks. */
  private static byte[] pattern(int index, int bytes) {
    byte[] chunk = new byte[bytes];
    for (int k = 0; k < bytes; k++) chunk[k] = (byte) (index * 31 + k * 7);
    return chunk;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static Socket connect(TcpServer to) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", to.localAddress().getPort()), CLIENT_TIMEOUT_MS);
    socket.setSoTimeout(CLIENT_TIMEOUT_MS);
    return socket;
  }

  private static RawHttp.Response exchange(Socket socket, String path) throws IOException {
    socket.getOutputStream().write(RawHttp.get(path));
    return RawHttp.read(socket.getInputStream());
  }

  @Test
  void keepAliveRequestsAreAnsweredInOrderAndTheRouteSeesThePeer() throws Exception {
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.get("/slow"));
      out.write(RawHttp.get("/peer")); // pipelined behind a response that takes its time
      InputStream in = socket.getInputStream();
      assertEquals("slow", RawHttp.read(in).text());
      assertEquals("127.0.0.1:" + socket.getLocalPort(), RawHttp.read(in).text());
    }
  }

  @Test
  void aBigResponseToALateReaderArrivesWholeWhileOthersAreServed() throws Exception {
    try (Socket late = new Socket()) {
      late.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
      late.connect(new InetSocketAddress("127.0.0.1", server.localAddress().getPort()), CLIENT_TIMEOUT_MS);
      late.setSoTimeout(CLIENT_TIMEOUT_MS);
      late.getOutputStream().write(RawHttp.get("/big"));
      Thread.sleep(STALL.toMillis()); // the server's write stops half-way and waits for room
      try (Socket other = connect(server)) {
        assertEquals(200, exchange(other, "/peer").status(), "one stalled socket holds up no other");
      }
      RawHttp.Response big = RawHttp.read(late.getInputStream());
      ByteString expected = ByteString.emptyByteString();
      for (int i = 0; i < BIG_BYTES / CHUNK_BYTES; i++) expected = expected.concat(ByteString.fromArrayUnsafe(pattern(i, CHUNK_BYTES)));
      assertArrayEquals(expected.toArray(), big.body(), "every byte, in order");
      assertEquals("127.0.0.1:" + late.getLocalPort(), exchange(late, "/peer").text(), "and the connection goes on");
    }
  }

  @Test
  void aBigRequestBodyIsReadWhole() throws Exception {
    byte[] body = pattern(3, UPLOAD_BYTES);
    try (Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.post("/upload", body.length));
      out.write(body);
      assertEquals(UPLOAD_BYTES + " " + crc(body), RawHttp.read(socket.getInputStream()).text());
    }
  }

  @Test
  void aClientThatSendsItsFinAfterTheRequestStillGetsTheResponse() throws Exception {
    try (Socket socket = connect(server)) {
      socket.getOutputStream().write(RawHttp.get("/slow"));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      assertEquals("slow", RawHttp.read(in).text());
      assertEquals(-1, in.read(), "then the server closes");
    }
  }

  @Test
  void aResponseThatBreaksResetsTheConnection() throws Exception {
    try (Socket socket = connect(server)) {
      socket.getOutputStream().write(RawHttp.get("/broken"));
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[CHUNK_BYTES];
      int received = 0;
      IOException reset = null;
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) received += n;
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        reset = e;
      }
      assertTrue(reset != null, "a reset, not a clean end that would pass for a short body (" + received + " bytes read)");
      assertTrue(received < BIG_BYTES, "the body stops short");
    }
  }

  @Test
  void beyondTheCapNewClientsWaitUntilAConnectionCloses() throws Exception {
    TcpServer capped = bind(2);
    try {
      List<Socket> open = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Socket socket = connect(capped);
        open.add(socket);
        assertEquals(200, exchange(socket, "/peer").status());
      }
      assertEquals(2, capped.openConnections());
      try (Socket waiting = connect(capped)) { // the kernel's backlog takes it
        waiting.getOutputStream().write(RawHttp.get("/peer"));
        waiting.setSoTimeout((int) NO_ANSWER.toMillis());
        assertThrows(SocketTimeoutException.class, () -> waiting.getInputStream().read(), "not served beyond the cap");
        open.remove(0).close();
        waiting.setSoTimeout(CLIENT_TIMEOUT_MS);
        assertEquals("127.0.0.1:" + waiting.getLocalPort(), RawHttp.read(waiting.getInputStream()).text(),
            "served once a slot is free");
      }
      for (Socket socket : open) socket.close();
      awaitNoConnections(capped);
    } finally {
      capped.unbind();
    }
  }

  @Test
  void unbindStopsAcceptingAndOpenConnectionsGoOn() throws Exception {
    TcpServer unbinding = bind(UNCAPPED);
    int port = unbinding.localAddress().getPort();
    try (Socket open = connect(unbinding)) {
      assertEquals(200, exchange(open, "/peer").status());
      unbinding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "nothing listens any more");
      assertEquals(200, exchange(open, "/peer").status(), "an open connection is still served");
    }
    awaitNoConnections(unbinding);
  }

  private static void awaitNoConnections(TcpServer tcp) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tcp.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
    assertEquals(0, tcp.openConnections(), "every closed connection gave its slot back");
  }
}
