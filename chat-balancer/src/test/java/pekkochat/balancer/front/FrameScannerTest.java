package pekkochat.balancer.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.WireFrames;

/** Where {@link FrameScanner} says frames end, for bytes cut into reads of every size. */
class FrameScannerTest {

  private static final long HOLD_ALL = 1024 * 1024;

  private static byte[] concat(List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static List<byte[]> everyKind(boolean masked) {
    byte[] big = new byte[60 * 1024];
    new Random(5).nextBytes(big);
    List<byte[]> frames = new ArrayList<>();
    frames.add(frame(masked, WireFrames.TEXT, true, WireFrames.utf8("{\"type\":\"message\"}")));
    frames.add(frame(masked, WireFrames.BINARY, true, new byte[126]));
    frames.add(frame(masked, WireFrames.PING, true, new byte[0]));
    frames.add(frame(masked, WireFrames.PONG, true, WireFrames.utf8("here")));
    frames.add(frame(masked, WireFrames.TEXT, false, WireFrames.utf8("frag")));
    frames.add(frame(masked, WireFrames.CONTINUATION, true, WireFrames.utf8("ment")));
    frames.add(frame(masked, WireFrames.BINARY, true, big));
    frames.add(frame(masked, WireFrames.BINARY, true, new byte[70_000]));
    return frames;
  }

  private static byte[] frame(boolean masked, int opcode, boolean fin, byte[] payload) {
    return masked ? WireFrames.masked(opcode, fin, payload) : WireFrames.unmasked(opcode, fin, payload);
  }

  /** The frame ends the scanner reports when {@code bytes} come in reads of {@code piece}, the buffer holding everything. */
  private static List<Integer> safePoints(FrameScanner scanner, byte[] bytes, int piece) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    List<Integer> points = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += piece) {
      int safe = scanner.scan(buffer, at, Math.min(bytes.length, at + piece));
      if (safe >= 0) points.add(safe);
    }
    return points;
  }

  private static List<Integer> frameEnds(List<byte[]> frames) {
    List<Integer> ends = new ArrayList<>();
    int end = 0;
    for (byte[] f : frames) ends.add(end += f.length);
    return ends;
  }

  @Test
  void framesHeldWholeMayOnlyGoOnAtTheirEndsHoweverTheBytesAreCut() {
    for (boolean masked : new boolean[] {false, true}) {
      List<byte[]> frames = everyKind(masked);
      byte[] bytes = concat(frames);
      for (int piece : new int[] {1, 2, 7, 333, 65_536, bytes.length}) {
        FrameScanner scanner = new FrameScanner(HOLD_ALL, !masked);
        List<Integer> points = safePoints(scanner, bytes, piece);
        assertTrue(frameEnds(frames).containsAll(points), "a safe point inside a frame, piece " + piece);
        assertEquals(bytes.length, points.get(points.size() - 1));
        assertTrue(scanner.atBoundary());
      }
    }
  }

  @Test
  void aFrameTooLargeToHoldMayGoOnAsItComes() {
    byte[] big = WireFrames.unmasked(WireFrames.BINARY, true, new byte[10_000]);
    FrameScanner scanner = new FrameScanner(1024, true);
    ByteBuffer buffer = ByteBuffer.wrap(big);
    assertEquals(3000, scanner.scan(buffer, 0, 3000));
    assertTrue(scanner.midStreamedFrame());
    assertEquals(big.length, scanner.scan(buffer, 3000, big.length));
    assertFalse(scanner.midStreamedFrame());
    assertTrue(scanner.atBoundary());
  }

  @Test
  void aHeldFrameCutShortIsNotAtABoundaryButNotStreamedEither() {
    byte[] whole = WireFrames.unmasked(WireFrames.TEXT, true, WireFrames.utf8("{}"));
    byte[] big = WireFrames.unmasked(WireFrames.BINARY, true, new byte[60 * 1024]);
    byte[] bytes = concat(List.of(whole, big));
    FrameScanner scanner = new FrameScanner(HOLD_ALL, true);
    assertEquals(whole.length, scanner.scan(ByteBuffer.wrap(bytes), 0, 30_000));
    assertFalse(scanner.atBoundary());
    assertFalse(scanner.midStreamedFrame());
  }

  @Test
  void closeFramesAndClosingObjectsAreSeen() {
    FrameScanner scanner = new FrameScanner(HOLD_ALL, true);
    byte[] closing = WireFrames.unmasked(WireFrames.TEXT, true,
        WireFrames.utf8("{\"type\":\"message\"}\n{\"type\":\"closing\",\"reason\":\"idle\"}"));
    scanner.scan(ByteBuffer.wrap(closing), 0, closing.length);
    assertTrue(scanner.lastDataWasClosing());
    // a ping between does not change the last data frame; a binary frame is never a closing object
    byte[] ping = WireFrames.unmasked(WireFrames.PING, true, new byte[0]);
    scanner.scan(ByteBuffer.wrap(ping), 0, ping.length);
    assertTrue(scanner.lastDataWasClosing());
    byte[] binary = WireFrames.unmasked(WireFrames.BINARY, true, WireFrames.utf8("{\"type\":\"closing\",\"reason\":\"idle\"}"));
    scanner.scan(ByteBuffer.wrap(binary), 0, binary.length);
    assertFalse(scanner.lastDataWasClosing());
    assertFalse(scanner.sawClose());
    byte[] close = WireFrames.masked(WireFrames.CLOSE, true, WireFrames.closePayload(1000, ""));
    FrameScanner client = new FrameScanner(0, false);
    client.scan(ByteBuffer.wrap(close), 0, 3);
    assertFalse(client.sawClose());
    client.scan(ByteBuffer.wrap(close), 3, close.length);
    assertTrue(client.sawClose());
  }
}
