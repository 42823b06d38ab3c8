package pekkochat.balancer.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket frames on the wire (RFC 6455 section 5.2), written and read by hand, so that a test
 * sees the exact bytes and owes nothing to the code under test.
 */
public final class WireFrames {

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** One frame as read: its header fields, its payload unmasked, and its bytes as they came. */
  public record Frame(boolean fin, int opcode, byte[] payload, byte[] wire) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, or -1 if it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }
  }

  private WireFrames() {}

  /** A frame as a server sends it: unmasked, the shortest length encoding. */
  public static byte[] unmasked(int opcode, boolean fin, byte[] payload) {
    return frame(opcode, fin, payload, null);
  }

  /** A frame as a client sends it: masked with a random key. */
  public static byte[] masked(int opcode, boolean fin, byte[] payload) {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    return frame(opcode, fin, payload, mask);
  }

  public static byte[] closePayload(int code, String reason) {
    byte[] why = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + why.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(why, 0, payload, 2, why.length);
    return payload;
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] frame(int opcode, boolean fin, byte[] payload, byte[] mask) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write((fin ? 0x80 : 0) | opcode);
    int maskBit = mask == null ? 0 : 0x80;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      out.write(maskBit | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) payload.length >> shift));
    }
    if (mask != null) out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) out.write(mask == null ? payload[i] : payload[i] ^ mask[i % 4]);
    return out.toByteArray();
  }

  /** Reads one whole frame; {@link EOFException} if the stream ends before it starts, or in its middle. */
  public static Frame read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int b0 = in.read();
    if (b0 < 0) throw new EOFException("no more frames");
    int b1 = in.readUnsignedByte();
    wire.write(b0);
    wire.write(b1);
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
      wire.write((int) length >> 8);
      wire.write((int) length);
    } else if (length == 127) {
      length = in.readLong();
      for (int shift = 56; shift >= 0; shift -= 8) wire.write((int) (length >> shift));
    }
    byte[] mask = null;
    if ((b1 & 0x80) != 0) {
      mask = in.readNBytes(4);
      wire.writeBytes(mask);
    }
    if (length > 16 * 1024 * 1024) throw new IOException("frame of " + length + " bytes: not a frame boundary");
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    wire.writeBytes(payload);
    if (mask != null) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload, wire.toByteArray());
  }
}
