package pekkochat.balancer.front;

import java.nio.ByteBuffer;
import pekkochat.balancer.relay.ClosingFrame;

/**
 * Follows the frames of one direction of a WebSocket byte stream (RFC 6455 section 5.2) as its
 * bytes pass, reading only their headers: where each frame ends, which were close frames, and
 * whether the last data frame was a {@code closing} object. Nothing is copied or decoded; the
 * only state is the position in the current frame.
 *
 * <p>A frame up to {@code maxHeldFrameBytes} (header included) counts as one piece: the bytes
 * that may be written on are those up to the end of the last whole frame ({@link #scan}), so a
 * reader of them never gets half a frame, and the balancer may put a frame of its own between
 * two. A larger frame streams: its bytes may be written as they come.
 */
final class FrameScanner {

  private static final int TEXT = 0x1;
  private static final int CLOSE = 0x8;
  private static final int CONTROL = 0x8;
  private static final int MAX_HEADER_BYTES = 14;

  private final long maxHeldFrameBytes;
  private final boolean watchClosing;
  private final byte[] header = new byte[MAX_HEADER_BYTES];
  private int headerRead;
  private int headerLength;
  private int opcode;
  private boolean fin;
  private long payloadLength;
  private long payloadLeft;
  private boolean inPayload;
  private boolean streaming;
  private boolean sawClose;
  private boolean lastDataWasClosing;

  /**
   * {@code watchClosing}: look into whole text frames for a {@code closing} object (the node's
   * direction; its frames are not masked). The client's direction only needs its close frame.
   */
  FrameScanner(long maxHeldFrameBytes, boolean watchClosing) {
    this.maxHeldFrameBytes = maxHeldFrameBytes;
    this.watchClosing = watchClosing;
  }

  /**
   * Follows the bytes {@code bytes[from, to)} (absolute indices), which come right after those
   * scanned before. Returns the index up to which they may now be written on (the end of the
   * last whole frame, or {@code to} inside a streaming frame), or -1 if that did not move.
   *
   * <p>A held frame's earlier bytes must sit right before {@code from} in the same buffer: its
   * payload is looked at there when it ends.
   */
  int scan(ByteBuffer bytes, int from, int to) {
    int safe = -1;
    int i = from;
    while (i < to) {
      if (!inPayload) {
        header[headerRead++] = bytes.get(i++);
        if (headerRead == 2) headerLength = 2 + extendedLengthBytes(header[1]) + ((header[1] & 0x80) != 0 ? 4 : 0);
        if (headerRead < 2 || headerRead < headerLength) continue;
        startFrame();
        if (payloadLeft == 0) {
          endFrame(bytes, i);
          safe = i;
        } else if (streaming) {
          safe = i;
        }
        continue;
      }
      int step = (int) Math.min(payloadLeft, to - i);
      i += step;
      payloadLeft -= step;
      if (payloadLeft == 0) {
        endFrame(bytes, i);
        safe = i;
      } else if (streaming) {
        safe = i;
      }
    }
    return safe;
  }

  /** Between two frames: no part of one has been seen. */
  boolean atBoundary() {
    return headerRead == 0 && !inPayload;
  }

  /** Inside a frame too large to hold, part of which went on already: nothing may go in before its end. */
  boolean midStreamedFrame() {
    return inPayload && streaming;
  }

  /** A whole close frame went by. */
  boolean sawClose() {
    return sawClose;
  }

  /** The last whole data frame was a text frame whose last line is a {@code closing} object. */
  boolean lastDataWasClosing() {
    return lastDataWasClosing;
  }

  private static int extendedLengthBytes(byte second) {
    int length7 = second & 0x7F;
    return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
  }

  private void startFrame() {
    fin = (header[0] & 0x80) != 0;
    opcode = header[0] & 0x0F;
    int length7 = header[1] & 0x7F;
    if (length7 == 126) {
      payloadLength = ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
    } else if (length7 == 127) {
      payloadLength = 0;
      for (int b = 2; b < 10; b++) payloadLength = (payloadLength << 8) | (header[b] & 0xFFL);
    } else {
      payloadLength = length7;
    }
    payloadLeft = payloadLength;
    streaming = headerLength + payloadLength > maxHeldFrameBytes;
    inPayload = payloadLeft > 0;
  }

  /** {@code end}: the index right after the frame's last byte. */
  private void endFrame(ByteBuffer bytes, int end) {
    if (opcode == CLOSE) {
      sawClose = true;
    } else if ((opcode & CONTROL) == 0) {
      // a held frame lies whole in the buffer; a streamed one does not, and is no closing object
      lastDataWasClosing = watchClosing && opcode == TEXT && fin && !streaming
          && ClosingFrame.isClosing(bytes, end - (int) payloadLength, end);
    }
    headerRead = 0;
    inPayload = false;
    streaming = false;
  }
}
