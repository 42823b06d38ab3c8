package pekkochat.balancer.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One way of a spliced connection: reads from one channel, writes on to the other. Bytes are
 * read into the loop's shared buffer and written straight on; only what the other side cannot
 * take yet, or a frame not yet whole, is copied into a buffer of this direction's own, which is
 * dropped again once it is empty. While that buffer holds bytes that could be written, this
 * direction reads nothing more (back-pressure: the source's own socket buffer fills up).
 */
final class Direction {

  private final ReadableByteChannel from;
  private final WritableByteChannel to;
  /** null: plain bytes, every byte may go on as it came */
  private final FrameScanner frames;
  /** whether bytes of a frame not yet whole are held back (the node's direction) */
  private final boolean holdsFrames;
  /** bytes not yet written: [start, safeEnd) may be written, [safeEnd, end) are a frame not yet whole; null when none */
  private ByteBuffer pending;
  private int start;
  private int safeEnd;
  private int end;

  Direction(ReadableByteChannel from, WritableByteChannel to, FrameScanner frames, boolean holdsFrames) {
    this.from = from;
    this.to = to;
    this.frames = frames;
    this.holdsFrames = holdsFrames;
  }

  FrameScanner frames() {
    return frames;
  }

  /** Bytes that could be written wait for the destination: read nothing until {@link #flush} has written them. */
  boolean blocked() {
    return start < safeEnd;
  }

  /**
   * Reads once and writes on what may go. Returns the bytes read, or -1 at the source's end.
   * Does nothing while {@link #blocked}.
   */
  int transfer(ByteBuffer shared) throws IOException {
    if (blocked()) return 0;
    shared.clear();
    ByteBuffer into = shared;
    int at = 0;
    if (pending != null && end - start < shared.capacity()) {
      // a frame not yet whole: its bytes go first into the shared buffer, the rest is read behind them
      at = end - start;
      shared.put(0, pending, start, at);
      pending = null;
      start = safeEnd = end = 0;
    } else if (pending != null) {
      makeRoom(shared.capacity());
      into = pending;
      at = end;
    }
    into.limit(into.capacity()).position(at);
    int read;
    try {
      read = from.read(into);
    } finally {
      if (into == shared && at > 0 && into.position() == at) keep(shared, 0, 0, at);
    }
    if (read <= 0) return read;
    int filled = at + read;
    int safe = filled;
    if (frames != null) {
      int scanned = frames.scan(into, at, filled);
      if (holdsFrames) safe = scanned >= 0 ? scanned : (into == pending ? safeEnd : 0);
    }
    if (into == shared) {
      int written = write(shared, 0, safe);
      if (written < filled) keep(shared, written, safe, filled);
    } else {
      safeEnd = safe;
      end = filled;
      flush();
    }
    return read;
  }

  /** Writes what may go of the held bytes; true once none of those is left. */
  boolean flush() throws IOException {
    if (pending == null) return true;
    start = write(pending, start, safeEnd);
    if (start == end) {
      pending = null;
      start = safeEnd = end = 0;
    }
    return !blocked();
  }

  /**
   * Puts {@code own} (whole frames of the balancer's, or the 101) after what may be written; a
   * frame not yet whole behind it is dropped, so that {@code own} goes between two frames. Only
   * for the end of a splice, or its start.
   */
  void insert(byte[] own) {
    int kept = safeEnd - start;
    ByteBuffer next = ByteBuffer.allocate(kept + own.length);
    if (pending != null) next.put(0, pending, start, kept);
    next.put(kept, own);
    pending = next;
    start = 0;
    safeEnd = end = kept + own.length;
  }

  /** Bytes that arrived before the splice began: they pass (and are scanned) as if just read, after those held. */
  void offer(byte[] early) {
    if (early.length == 0) return;
    ByteBuffer bytes = ByteBuffer.wrap(early);
    int safe = early.length;
    if (frames != null) {
      int scanned = frames.scan(bytes, 0, early.length);
      if (holdsFrames) safe = Math.max(scanned, 0);
    }
    ByteBuffer next = ByteBuffer.allocate(end - start + early.length);
    if (pending != null) next.put(0, pending, start, end - start);
    next.put(end - start, early);
    int before = end - start;
    pending = next;
    start = 0;
    safeEnd = before + safe;
    end = before + early.length;
  }

  /** Copies what is left of {@code shared[written, filled)} into this direction's own buffer. */
  private void keep(ByteBuffer shared, int written, int safe, int filled) {
    pending = ByteBuffer.allocate(filled - written);
    pending.put(0, shared, written, filled - written);
    start = 0;
    safeEnd = safe - written;
    end = filled - written;
  }

  /** Room for one more read of {@code readBytes} behind the held bytes, which move to the front. */
  private void makeRoom(int readBytes) {
    if (pending.capacity() - end >= readBytes && start == 0) return;
    ByteBuffer next = ByteBuffer.allocate(end - start + readBytes);
    next.put(0, pending, start, end - start);
    safeEnd -= start;
    end -= start;
    start = 0;
    pending = next;
  }

  /** Writes {@code bytes[from, until)}; the index after the last byte written. */
  private int write(ByteBuffer bytes, int from, int until) throws DestinationFailed {
    if (from >= until) return from;
    bytes.limit(until).position(from);
    try {
      to.write(bytes);
    } catch (IOException e) {
      throw new DestinationFailed(e);
    } finally {
      // the absolute reads and copies elsewhere go up to the limit
      bytes.limit(bytes.capacity());
    }
    return bytes.position();
  }

  /** Writing failed: the destination's side has ended, not the source's. */
  static final class DestinationFailed extends IOException {
    DestinationFailed(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
