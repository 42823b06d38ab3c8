package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frame layer on a real Pekko HTTP upgrade and a raw TCP client: what Pekko's message layer
 * did and the node now does itself. A Pekko HTTP upgrade that changes the frame API fails here.
 */
@Timeout(30)
class FrameLayerTest {
  private static final int MAX = 65_536;
  private static ActorSystem<Void> system;
  private static ServerBinding binding;
  private static Heartbeat heartbeat;
  private static final SocketSettings SETTINGS = new SocketSettings(
      MAX, 6, MAX, 1, 1, Duration.ofSeconds(90), Duration.ofSeconds(1), 1, Duration.ofSeconds(3), TestRateLimits.uniform(1, 1),
      Duration.ofSeconds(5), Duration.ofSeconds(1));

  /** The latest socket's queue, and what its receiver saw, in order: "text:...", "refused:REASON", "ended". */
  private static final AtomicReference<Outbound> current = new AtomicReference<>();
  private static final AtomicReference<BlockingQueue<String>> seen = new AtomicReference<>();
  /** Run on the next socket's Outbound before its stream starts. */
  private static volatile Consumer<Outbound> beforeStart = o -> {};

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "frames");
    heartbeat = new Heartbeat(system, SETTINGS.pingInterval(), SETTINGS.pingSlices());
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bindSync(request -> request
        .getAttribute(AttributeKeys.webSocketUpgrade)
        .map(upgrade -> {
          Outbound outbound = new Outbound(SETTINGS, new SocketMetrics(new SimpleMeterRegistry()), heartbeat);
          BlockingQueue<String> events = new LinkedBlockingQueue<>();
          current.set(outbound);
          seen.set(events);
          beforeStart.accept(outbound);
          return FrameLayer.accept(upgrade, new FrameLayer(outbound, echo(outbound, events), MAX));
        })
        .orElseGet(() -> HttpResponse.create().withStatus(400)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @BeforeEach
  void reset() {
    beforeStart = o -> {};
  }

  /** Echoes each text message back as {@code echo:<text>}. */
  private static FrameLayer.Receiver echo(Outbound outbound, BlockingQueue<String> seen) {
    return new FrameLayer.Receiver() {
      @Override
      public void text(String text) {
        seen.add("text:" + text);
        outbound.offer(ByteString.fromString("echo:" + text), 0);
        outbound.resume();
      }

      @Override
      public void refused(CloseReason reason) {
        seen.add("refused:" + reason);
      }

      @Override
      public void ended() {
        seen.add("ended");
      }
    };
  }

  private static RawFrameClient connect() throws IOException {
    RawFrameClient client = new RawFrameClient(binding.localAddress().getPort(), "/ws");
    assertTrue(client.responseHead.startsWith("HTTP/1.1 101"), client.responseHead);
    return client;
  }

  private static String next() throws InterruptedException {
    String s = seen.get().poll(5, TimeUnit.SECONDS);
    return s == null ? "nothing within 5 s" : s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void maskedTextIsUnmaskedAndServerFramesAreUnmaskedText() throws Exception {
    try (RawFrameClient c = connect()) {
      c.sendText("h\u00e9llo \u2603");
      assertEquals("text:h\u00e9llo \u2603", next());
      RawFrameClient.Frame echo = c.readSkippingPings();
      assertEquals(RawFrameClient.TEXT, echo.opcode());
      assertTrue(echo.fin());
      assertFalse(echo.masked(), "server frames are not masked");
      assertEquals("echo:h\u00e9llo \u2603", echo.text());
    }
  }

  @Test
  void aFrameSplitAcrossTcpWritesKeepsItsMaskInStep() throws Exception {
    String text = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(300); // 10,800 bytes
    byte[] frame = RawFrameClient.encode(RawFrameClient.TEXT, true, utf8(text), true);
    try (RawFrameClient c = connect()) {
      for (int from = 0; from < frame.length; from += 1_001) {
        c.write(java.util.Arrays.copyOfRange(frame, from, Math.min(frame.length, from + 1_001)));
        Thread.sleep(2);
      }
      assertEquals("text:" + text, next());
    }
  }

  @Test
  void fragmentsAreReassembledAroundAPingAndAUtf8CharacterMaySpanThem() throws Exception {
    byte[] e = utf8("\u00e9"); // two bytes, one in each fragment
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.TEXT, false, new byte[] {'c', 'a', 'f', e[0]});
      c.send(RawFrameClient.PING, true, utf8("mid"));
      c.send(RawFrameClient.CONT, false, new byte[] {e[1]});
      c.send(RawFrameClient.CONT, true, utf8("!"));
      RawFrameClient.Frame pong = c.readSkippingPings();
      assertEquals(RawFrameClient.PONG, pong.opcode(), "a ping between fragments is answered at once");
      assertEquals("mid", pong.text());
      assertEquals("text:caf\u00e9!", next());
    }
  }

  @Test
  void theServerPingsOnItsSharedHeartbeat() throws Exception {
    try (RawFrameClient c = connect()) {
      RawFrameClient.Frame ping = c.read(); // ping-interval is 1 s here
      assertEquals(RawFrameClient.PING, ping.opcode());
      c.send(RawFrameClient.PONG, true, ping.payload());
      c.sendText("still here");
      assertEquals("text:still here", next());
    }
  }

  @Test
  void aClientCloseIsEchoedAndEndsTheSocket() throws Exception {
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.CLOSE, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}); // 1000
      RawFrameClient.Frame close = c.readSkippingPings();
      assertEquals(RawFrameClient.CLOSE, close.opcode());
      assertEquals(1000, close.closeCode());
      assertTrue(c.endsWithin(3_000), "the server closes TCP after the handshake");
      assertEquals("ended", next());
    }
  }

  @Test
  void aServerCloseSendsTheClosingFrameThenANormalCloseAndWaitsForTheClient() throws Exception {
    try (RawFrameClient c = connect()) {
      c.sendText("before");
      assertEquals("echo:before", c.readSkippingPings().text());
      assertEquals("text:before", next());
      current.get().close(ByteString.fromString("{\"type\":\"closing\"}"));
      assertEquals("{\"type\":\"closing\"}", c.readSkippingPings().text());
      RawFrameClient.Frame close = c.readSkippingPings();
      assertEquals(RawFrameClient.CLOSE, close.opcode());
      assertEquals(1000, close.closeCode(), "the reason is in the closing frame; the code stays normal");
      assertFalse(c.endsWithin(300), "the server waits for the client's close");
      c.send(RawFrameClient.CLOSE, true, new byte[] {0x03, (byte) 0xE9});
      assertTrue(c.endsWithin(3_000));
      assertEquals("ended", next());
    }
  }

  @Test
  void aMessageOver64KiBIsRefusedAsTooLargeWholeOrInFragments() throws Exception {
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.TEXT, true, new byte[MAX + 1]);
      assertEquals("refused:TOO_LARGE", next());
    }
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.TEXT, false, new byte[40_000]);
      c.send(RawFrameClient.CONT, true, new byte[40_000]);
      assertEquals("refused:TOO_LARGE", next());
    }
    try (RawFrameClient c = connect()) {
      c.sendText("a".repeat(MAX));
      assertEquals("text:" + "a".repeat(MAX), next(), "exactly 64 KiB is allowed");
    }
  }

  @Test
  void binaryAndInvalidUtf8AreRefused() throws Exception {
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.BINARY, true, utf8("{\"type\":\"ping\"}"));
      assertEquals("refused:BINARY_FRAME", next());
    }
    try (RawFrameClient c = connect()) {
      c.send(RawFrameClient.TEXT, true, new byte[] {'{', (byte) 0xC3, 0x28, '}'});
      assertEquals("refused:INVALID_TEXT", next());
    }
  }

  @Test
  void anUnmaskedClientFrameFailsTheConnectionWith1002() throws Exception {
    try (RawFrameClient c = connect()) {
      c.write(RawFrameClient.encode(RawFrameClient.TEXT, true, utf8("bare"), false));
      RawFrameClient.Frame close = c.readSkippingPings();
      assertEquals(RawFrameClient.CLOSE, close.opcode());
      assertEquals(1002, close.closeCode());
      assertTrue(c.endsWithin(3_000));
    }
    assertEquals("ended", next());
  }

  @Test
  void anAbortEndsTheConnectionEvenWhenTheClientStoppedReading() throws Exception {
    try (RawFrameClient c = connect()) {
      Outbound outbound = current.get();
      ByteString chunk = ByteString.fromString("y".repeat(60_000));
      // the client reads nothing: fill both TCP buffers until the socket's writes are stuck
      for (int i = 0; i < 200; i++) {
        outbound.offer(chunk, 0);
        Thread.sleep(5);
      }
      outbound.abort();
      assertEquals("ended", next());
      Thread.sleep(500); // the abort reaches the TCP actor; a graceful close would now flush on demand
      long read = c.bytesUntilEnd(5_000);
      assertTrue(read >= 0 && read < 1_000_000,
          "aborted (reset), not closed after flushing megabytes of stuck writes: read " + read + " bytes");
    }
  }

  @Test
  void aBacklogIsCoalescedIntoNewlineSeparatedFramesOfAtMost64KiB() throws Exception {
    String big = "x".repeat(40_000);
    beforeStart = o -> {
      for (String s : List.of("a", "b", "c", big, big, "d")) {
        assertEquals(Outbound.Offer.ACCEPTED, o.offer(ByteString.fromString(s), 0));
      }
      assertEquals(Outbound.Offer.FULL, o.offer(ByteString.fromString("e"), 0), "the queue holds 6");
    };
    try (RawFrameClient c = connect()) {
      assertEquals("a\nb\nc\n" + big, c.readSkippingPings().text());
      assertEquals(big + "\nd", c.readSkippingPings().text(), "two big ones would pass 64 KiB");
    }
  }
}
