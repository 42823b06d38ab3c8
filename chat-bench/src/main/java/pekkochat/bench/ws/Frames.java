package pekkochat.bench.ws;

import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 framing, the client's half: frames it sends are masked (section 5.3), frames it reads
 * are not. Only what a load client needs; the node's own frame layer has the full test suite.
 */
public final class Frames {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** Receives each whole frame found by {@link #parse}. */
  public interface Sink {
    void frame(boolean fin, int opcode, byte[] buf, int off, int len);
  }

  private Frames() {}

  /** A masked client frame with FIN set. */
  public static byte[] masked(int opcode, byte[] payload) {
    int len = payload.length;
    int header = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + 4 + len];
    frame[0] = (byte) (0x80 | opcode);
    if (len < 126) {
      frame[1] = (byte) (0x80 | len);
    } else if (len <= 0xFFFF) {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (len >>> 8);
      frame[3] = (byte) len;
    } else {
      frame[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) len >>> (56 - 8 * i));
    }
    int key = ThreadLocalRandom.current().nextInt();
    for (int i = 0; i < 4; i++) frame[header + i] = (byte) (key >>> (24 - 8 * i));
    for (int i = 0; i < len; i++) frame[header + 4 + i] = (byte) (payload[i] ^ frame[header + (i & 3)]);
    return frame;
  }

  /**
   * Hands every whole frame in {@code buf[off, end)} to {@code sink} and returns how many bytes
   * they took; a trailing partial frame is left for the next read. A masked or oversized frame
   * from the server is a protocol error.
   */
  public static int parse(byte[] buf, int off, int end, int maxPayload, Sink sink) {
    int pos = off;
    while (end - pos >= 2) {
      int b0 = buf[pos] & 0xFF;
      int b1 = buf[pos + 1] & 0xFF;
      if ((b1 & 0x80) != 0) throw new IllegalStateException("the server sent a masked frame");
      int len7 = b1 & 0x7F;
      int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
      if (end - pos < header) break;
      long len = len7;
      if (len7 == 126) {
        len = ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
      } else if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = (len << 8) | (buf[pos + 2 + i] & 0xFF);
      }
      if (len > maxPayload) throw new IllegalStateException("a frame of " + len + " bytes is over " + maxPayload);
      if (end - pos - header < len) break;
      sink.frame((b0 & 0x80) != 0, b0 & 0x0F, buf, pos + header, (int) len);
      pos += header + (int) len;
    }
    return pos - off;
  }
}
