package pekkochat.balancer.front;

import java.nio.ByteBuffer;

/** The frames the balancer writes to a client itself (a server's: not masked, RFC 6455 section 5.1). */
final class OwnFrames {

  private static final int FIN = 0x80;
  private static final int TEXT = 0x1;
  private static final int CLOSE = 0x8;
  private static final int GOING_AWAY = 1001;
  private static final int MAX_7_BIT_LENGTH = 125;
  private static final int MAX_16_BIT_LENGTH = 0xFFFF;

  private OwnFrames() {}

  /**
   * The balancer's last word: {@code closing} (a text frame, unless the node's last data frame
   * was a closing object already), then a close frame with code 1001 (going away).
   */
  static byte[] lastWord(byte[] closingUtf8, boolean closingSentAlready) {
    byte[] close = frame(CLOSE, new byte[] {(byte) (GOING_AWAY >> 8), (byte) GOING_AWAY});
    if (closingSentAlready) return close;
    byte[] text = frame(TEXT, closingUtf8);
    return ByteBuffer.allocate(text.length + close.length).put(text).put(close).array();
  }

  private static byte[] frame(int opcode, byte[] payload) {
    int extended = payload.length <= MAX_7_BIT_LENGTH ? 0 : payload.length <= MAX_16_BIT_LENGTH ? 2 : 8;
    ByteBuffer frame = ByteBuffer.allocate(2 + extended + payload.length).put((byte) (FIN | opcode));
    if (extended == 0) frame.put((byte) payload.length);
    else if (extended == 2) frame.put((byte) 126).putShort((short) payload.length);
    else frame.put((byte) 127).putLong(payload.length);
    return frame.put(payload).array();
  }
}
