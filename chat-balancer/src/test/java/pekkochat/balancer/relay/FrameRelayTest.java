package pekkochat.balancer.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.WireFrames;

/**
 * What a client gets from {@link FrameRelay} for the bytes a backend wrote, cut into reads of a
 * few hundred bytes: the backend's frames as they were, and the balancer's own closing frame only
 * between two frames, only when the backend ended without its own last word.
 */
class FrameRelayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FrameRelay.Settings SETTINGS = new FrameRelay.Settings("node gone", "balancer stopping", 1024 * 1024);
  private static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    // the test JVM must outlive this system (application.conf on the class path says exit-jvm = on)
    system = ActorSystem.create(Behaviors.empty(), "relay-test",
        ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = off").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static byte[] concat(byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : frames) out.writeBytes(f);
    return out.toByteArray();
  }

  private static byte[] text(String payload) {
    return WireFrames.unmasked(WireFrames.TEXT, true, WireFrames.utf8(payload));
  }

  private static byte[] big() {
    byte[] payload = new byte[60 * 1024];
    new Random(3).nextBytes(payload);
    return WireFrames.unmasked(WireFrames.BINARY, true, payload);
  }

  /** The bytes the client gets when the backend writes {@code written} and then ends, or fails with {@code failure}. */
  private static byte[] relay(byte[] written, Throwable failure) {
    List<ByteString> reads = new ArrayList<>();
    for (int i = 0; i < written.length; i += 333) reads.add(ByteString.fromArray(Arrays.copyOfRange(written, i, Math.min(written.length, i + 333))));
    Source<FrameEvent, ?> parsed = Source.from(reads).via(Frames.parser());
    // a failure comes after the parser, as the drain switch's does (BackendSocket)
    Flow<FrameEvent, FrameEvent, ?> backend =
        Flow.fromSinkAndSource(Sink.ignore(), failure == null ? parsed : parsed.concat(Source.lazySource(() -> Source.<FrameEvent>failed(failure))));
    Flow<FrameEvent, FrameEvent, ?> handler = BidiFlow.fromGraph(new FrameRelay(SETTINGS)).join(backend);
    return Source.<FrameEvent>never().via(handler).via(Frames.renderer())
        .runFold(ByteString.emptyByteString(), ByteString::concat, system)
        .toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().toArray();
  }

  /** The frames after the first {@code skip} bytes. */
  private static List<WireFrames.Frame> framesAfter(byte[] got, int skip) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(got, skip, got.length - skip);
    List<WireFrames.Frame> frames = new ArrayList<>();
    try {
      while (true) frames.add(WireFrames.read(in));
    } catch (EOFException end) {
      return frames;
    }
  }

  private static void assertDrainingThenClose(List<WireFrames.Frame> frames, String message) throws Exception {
    assertEquals(2, frames.size(), frames.toString());
    JsonNode closing = JSON.readTree(frames.get(0).text());
    assertEquals("closing", closing.get("type").asText());
    assertEquals("draining", closing.get("reason").asText());
    assertEquals(message, closing.get("message").asText());
    assertEquals(WireFrames.CLOSE, frames.get(1).opcode());
    assertEquals(1001, frames.get(1).closeCode());
  }

  private static byte[] prefix(byte[] got, int length) {
    return Arrays.copyOf(got, Math.min(length, got.length));
  }

  @Test
  void framesPassAsTheyCameAndAnEndWithoutALastWordGetsDraining() throws Exception {
    byte[] written = concat(text("{\"type\":\"message\",\"seq\":1}"), big(), WireFrames.unmasked(WireFrames.PING, true, new byte[] {1}));
    byte[] got = relay(written, null);
    assertArrayEquals(written, prefix(got, written.length));
    assertDrainingThenClose(framesAfter(got, written.length), "node gone");
  }

  @Test
  void aFrameCutShortByTheBackendsDeathNeverReachesTheClient() throws Exception {
    byte[] whole = text("{\"type\":\"message\",\"seq\":1}");
    byte[] cut = Arrays.copyOf(big(), 30_000);
    byte[] got = relay(concat(whole, cut), new java.io.IOException("connection reset"));
    assertArrayEquals(whole, prefix(got, whole.length));
    assertDrainingThenClose(framesAfter(got, whole.length), "node gone");
  }

  @Test
  void theBackendsClosingObjectIsItsLastWord() throws Exception {
    byte[] written = concat(text("{\"type\":\"message\",\"seq\":1}\n{\"type\":\"closing\",\"reason\":\"token_expired\",\"message\":\"x\"}"));
    byte[] got = relay(written, null);
    assertArrayEquals(written, prefix(got, written.length));
    List<WireFrames.Frame> after = framesAfter(got, written.length);
    assertEquals(1, after.size(), after.toString());
    assertEquals(WireFrames.CLOSE, after.get(0).opcode());
  }

  @Test
  void theBackendsCloseFrameIsItsLastWordToo() {
    byte[] written = concat(text("{\"type\":\"message\",\"seq\":1}"), WireFrames.unmasked(WireFrames.CLOSE, true, WireFrames.closePayload(1011, "")));
    assertArrayEquals(written, relay(written, null));
  }

  @Test
  void aBinaryFrameIsNeverAClosingObject() throws Exception {
    byte[] written = WireFrames.unmasked(WireFrames.BINARY, true, WireFrames.utf8("{\"type\":\"closing\",\"reason\":\"idle\"}"));
    byte[] got = relay(written, null);
    assertDrainingThenClose(framesAfter(got, written.length), "node gone");
  }

  @Test
  void aDrainingBalancerSaysSo() throws Exception {
    byte[] written = text("{\"type\":\"message\",\"seq\":1}");
    byte[] got = relay(written, new Draining());
    assertDrainingThenClose(framesAfter(got, written.length), "balancer stopping");
  }

  @Test
  void nothingFollowsWhenTheClientClosedFirst() {
    byte[] clientClose = WireFrames.masked(WireFrames.CLOSE, true, WireFrames.closePayload(1000, ""));
    Source<FrameEvent, ?> client = Source.single(ByteString.fromArray(clientClose)).via(Frames.parser()).concat(Source.never());
    // the backend ends (without its close) only after the client's close went to it
    Flow<FrameEvent, FrameEvent, ?> backend = Flow.fromSinkAndSource(Sink.ignore(),
        Source.<ByteString>empty().initialDelay(Duration.ofMillis(300)).via(Frames.parser()));
    byte[] got = client.via(BidiFlow.fromGraph(new FrameRelay(SETTINGS)).join(backend)).via(Frames.renderer())
        .runFold(ByteString.emptyByteString(), ByteString::concat, system)
        .toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join().toArray();
    assertEquals(0, got.length);
  }
}
