package pekkochat.balancer.front;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.relay.ClosingFrame;
import pekkochat.balancer.support.WireFrames;

/**
 * One way of a splice, on channels that give a few bytes a read and take a few a write: bytes
 * pass as they came, a destination that takes nothing stops the reading, and the balancer's own
 * last word only ever goes between two frames.
 */
class DirectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HOLD = 1024 * 1024;
  private static final int SHARED_BYTES = 16 * 1024;

  private final ByteBuffer shared = ByteBuffer.allocateDirect(SHARED_BYTES);

  /** The same kinds of frames as FramePassThroughTest, masked as a client sends them or not, as a node does. */
  private static byte[] everyKind(boolean masked) {
    byte[] big = new byte[60 * 1024];
    new Random(7).nextBytes(big);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] frame : List.of(
        frame(masked, WireFrames.TEXT, true, WireFrames.utf8("{\"type\":\"ping\",\"ref\":\"héllo ✓\"}")),
        frame(masked, WireFrames.BINARY, true, new byte[] {0, 1, 2, (byte) 255}),
        frame(masked, WireFrames.PING, true, WireFrames.utf8("are you there")),
        frame(masked, WireFrames.PONG, true, WireFrames.utf8("here")),
        frame(masked, WireFrames.TEXT, false, WireFrames.utf8("frag")),
        frame(masked, WireFrames.PING, true, new byte[0]),
        frame(masked, WireFrames.CONTINUATION, true, WireFrames.utf8("mented")),
        frame(masked, WireFrames.BINARY, true, big),
        frame(masked, WireFrames.CLOSE, true, WireFrames.closePayload(4001, "bye")))) {
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static byte[] frame(boolean masked, int opcode, boolean fin, byte[] payload) {
    return masked ? WireFrames.masked(opcode, fin, payload) : WireFrames.unmasked(opcode, fin, payload);
  }

  private static Direction clientToNode(TestChannels.Source from, TestChannels.Sink to) {
    return new Direction(from, to, new FrameScanner(0, false), false);
  }

  private static Direction nodeToClient(TestChannels.Source from, TestChannels.Sink to) {
    return new Direction(from, to, new FrameScanner(HOLD, true), true);
  }

  /** Moves bytes until the source has none and nothing that may go is left. */
  private void pump(Direction direction, TestChannels.Source source) throws Exception {
    while (true) {
      int read = direction.transfer(shared);
      boolean flushed = direction.flush();
      if (read <= 0 && flushed && source.drained()) return;
    }
  }

  private static List<WireFrames.Frame> frames(byte[] bytes, int skip) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes, skip, bytes.length - skip);
    List<WireFrames.Frame> frames = new ArrayList<>();
    try {
      while (true) frames.add(WireFrames.read(in));
    } catch (EOFException end) {
      return frames;
    }
  }

  @Test
  void framesOfEveryKindPassByteForByteBothWays() throws Exception {
    for (int piece : new int[] {1, 333, 100_000}) {
      for (int accept : new int[] {7, 1000, Integer.MAX_VALUE}) {
        byte[] clientFrames = everyKind(true);
        TestChannels.Sink node = new TestChannels.Sink(accept);
        TestChannels.Source client = new TestChannels.Source(piece).add(clientFrames);
        pump(clientToNode(client, node), client);
        assertArrayEquals(clientFrames, node.got(), "client to node, piece " + piece + ", accept " + accept);

        byte[] nodeFrames = everyKind(false);
        TestChannels.Sink toClient = new TestChannels.Sink(accept);
        TestChannels.Source fromNode = new TestChannels.Source(piece).add(nodeFrames);
        pump(nodeToClient(fromNode, toClient), fromNode);
        assertArrayEquals(nodeFrames, toClient.got(), "node to client, piece " + piece + ", accept " + accept);
      }
    }
  }

  @Test
  void aDestinationThatTakesNothingStopsTheReading() throws Exception {
    byte[] flood = new byte[1024 * 1024];
    TestChannels.Source node = new TestChannels.Source(Integer.MAX_VALUE).add(flood);
    TestChannels.Sink client = new TestChannels.Sink(0);
    Direction direction = new Direction(node, client, null, false);
    direction.transfer(shared);
    assertTrue(direction.blocked());
    int readOnce = node.read();
    assertEquals(SHARED_BYTES, readOnce);
    for (int i = 0; i < 10; i++) assertEquals(0, direction.transfer(shared));
    assertEquals(readOnce, node.read(), "read on while the destination took nothing");

    client.accept = Integer.MAX_VALUE;
    assertTrue(direction.flush());
    assertFalse(direction.blocked());
    pump(direction, node);
    assertArrayEquals(flood, client.got());
  }

  @Test
  void theLastWordGoesAfterTheWholeFramesAndAFrameCutShortNeverReachesTheClient() throws Exception {
    byte[] whole = WireFrames.unmasked(WireFrames.TEXT, true, WireFrames.utf8("{\"type\":\"message\",\"seq\":1}"));
    byte[] big = new byte[60 * 1024];
    new Random(3).nextBytes(big);
    byte[] cut = Arrays.copyOf(WireFrames.unmasked(WireFrames.BINARY, true, big), 30_000);
    TestChannels.Sink client = new TestChannels.Sink(Integer.MAX_VALUE);
    TestChannels.Source node = new TestChannels.Source(333).add(whole).add(cut);
    Direction direction = nodeToClient(node, client);
    pump(direction, node);
    assertArrayEquals(whole, client.got(), "part of a frame went on");
    assertFalse(direction.frames().midStreamedFrame());

    direction.insert(OwnFrames.lastWord(ClosingFrame.draining("node gone").toArray(), direction.frames().lastDataWasClosing()));
    pump(direction, node);
    byte[] got = client.got();
    assertArrayEquals(whole, Arrays.copyOf(got, whole.length));
    List<WireFrames.Frame> after = frames(got, whole.length);
    assertEquals(2, after.size(), after.toString());
    JsonNode closing = JSON.readTree(after.get(0).text());
    assertEquals("closing", closing.get("type").asText());
    assertEquals("draining", closing.get("reason").asText());
    assertEquals("node gone", closing.get("message").asText());
    assertEquals(WireFrames.CLOSE, after.get(1).opcode());
    assertEquals(1001, after.get(1).closeCode());
  }

  @Test
  void afterTheNodesClosingObjectOnlyTheCloseFrameFollows() throws Exception {
    byte[] closingObject = WireFrames.unmasked(WireFrames.TEXT, true,
        WireFrames.utf8("{\"type\":\"message\",\"seq\":1}\n{\"type\":\"closing\",\"reason\":\"token_expired\",\"message\":\"x\"}"));
    TestChannels.Sink client = new TestChannels.Sink(Integer.MAX_VALUE);
    TestChannels.Source node = new TestChannels.Source(5).add(closingObject);
    Direction direction = nodeToClient(node, client);
    pump(direction, node);
    assertTrue(direction.frames().lastDataWasClosing());
    direction.insert(OwnFrames.lastWord(ClosingFrame.draining("x").toArray(), direction.frames().lastDataWasClosing()));
    pump(direction, node);
    List<WireFrames.Frame> after = frames(client.got(), closingObject.length);
    assertEquals(1, after.size(), after.toString());
    assertEquals(1001, after.get(0).closeCode());
  }

  @Test
  void theLastWordWaitsBehindWhatASlowClientHasNotTakenYet() throws Exception {
    byte[] frames = everyKind(false);
    byte[] withoutClose = Arrays.copyOf(frames, frames.length - WireFrames.unmasked(WireFrames.CLOSE, true,
        WireFrames.closePayload(4001, "bye")).length);
    TestChannels.Sink client = new TestChannels.Sink(0);
    Direction direction = nodeToClient(new TestChannels.Source(Integer.MAX_VALUE).add(withoutClose), client);
    direction.transfer(shared);
    direction.transfer(shared);
    direction.transfer(shared);
    assertTrue(direction.blocked());
    direction.insert(OwnFrames.lastWord(ClosingFrame.draining("bye").toArray(), false));
    // the node's side has ended: nothing more is read, what is held goes out as the client takes it
    client.accept = 100;
    while (!direction.flush()) { }
    List<WireFrames.Frame> all = frames(client.got(), 0);
    assertTrue(all.size() > 2, all.toString());
    assertEquals(WireFrames.CLOSE, all.get(all.size() - 1).opcode());
    assertEquals("draining", JSON.readTree(all.get(all.size() - 2).text()).get("reason").asText());
  }
}
