package pekkochat.bench.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

  record Seen(boolean fin, int opcode, byte[] payload) {}

  @Test
  void clientFramesAreMaskedAndUnmaskToThePayload() {
    for (int size : new int[] {0, 5, 125, 126, 65535, 65536, 70000}) {
      byte[] payload = new byte[size];
      Arrays.fill(payload, (byte) 'x');
      byte[] frame = Frames.masked(Frames.TEXT, payload);
      assertEquals(0x81, frame[0] & 0xFF, "FIN + text");
      assertTrue((frame[1] & 0x80) != 0, "mask bit set");
      int len7 = frame[1] & 0x7F;
      int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
      long len = len7 < 126 ? len7 : 0;
      for (int i = 2; i < header; i++) len = (len << 8) | (frame[i] & 0xFF);
      assertEquals(size, len, "length of " + size);
      byte[] unmasked = new byte[size];
      for (int i = 0; i < size; i++) unmasked[i] = (byte) (frame[header + 4 + i] ^ frame[header + (i & 3)]);
      assertArrayEquals(payload, unmasked);
    }
  }

  @Test
  void parseTakesWholeFramesOnlyWhereverTheReadSplitsThem() {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(serverFrame(false, Frames.TEXT, "hel".getBytes(StandardCharsets.UTF_8)));
    wire.writeBytes(serverFrame(true, Frames.CONTINUATION, "lo".getBytes(StandardCharsets.UTF_8)));
    wire.writeBytes(serverFrame(true, Frames.PING, new byte[] {1, 2}));
    wire.writeBytes(serverFrame(true, Frames.TEXT, new byte[300]));
    wire.writeBytes(serverFrame(true, Frames.TEXT, new byte[70_000]));
    byte[] all = wire.toByteArray();
    for (int split = 0; split <= all.length; split += 997) {
      List<Seen> seen = new ArrayList<>();
      Frames.Sink sink = (fin, op, b, off, len) -> seen.add(new Seen(fin, op, Arrays.copyOfRange(b, off, off + len)));
      int used = Frames.parse(all, 0, split, 1 << 20, sink);
      byte[] rest = Arrays.copyOfRange(all, used, all.length);
      assertEquals(rest.length, Frames.parse(rest, 0, rest.length, 1 << 20, sink), "the rest parses whole after a split at " + split);
      assertEquals(5, seen.size());
      assertEquals(new String(seen.get(0).payload()) + new String(seen.get(1).payload()), "hello");
      assertEquals(false, seen.get(0).fin());
      assertEquals(Frames.PING, seen.get(2).opcode());
      assertEquals(300, seen.get(3).payload().length);
      assertEquals(70_000, seen.get(4).payload().length);
    }
  }

  @Test
  void aMaskedOrOversizedServerFrameIsRefused() {
    byte[] masked = Frames.masked(Frames.TEXT, new byte[3]);
    assertThrows(IllegalStateException.class, () -> Frames.parse(masked, 0, masked.length, 100, (f, o, b, off, l) -> { }));
    byte[] big = serverFrame(true, Frames.TEXT, new byte[200]);
    assertThrows(IllegalStateException.class, () -> Frames.parse(big, 0, big.length, 100, (f, o, b, off, l) -> { }));
  }

  private static byte[] serverFrame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | opcode);
    int len = payload.length;
    if (len < 126) {
      out.write(len);
    } else if (len <= 0xFFFF) {
      out.write(126);
      out.write(len >>> 8);
      out.write(len & 0xFF);
    } else {
      out.write(127);
      for (int i = 7; i >= 0; i--) out.write((int) ((long) len >>> (8 * i)) & 0xFF);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
