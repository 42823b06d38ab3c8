package pekkochat.balancer.front;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/** Channels that behave like non-blocking sockets, for a {@link Direction} under test. */
final class TestChannels {

  private TestChannels() {}

  /** Neither side ever closes one: the splice under test is what would. */
  private abstract static class AlwaysOpen implements Channel {
    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** Gives its bytes in reads of at most {@code piece}; 0 when it has none now (its peer keeps the connection open). */
  static final class Source extends AlwaysOpen implements ReadableByteChannel {
    private final int piece;
    private byte[] bytes = new byte[0];
    private int at;

    Source(int piece) {
      this.piece = piece;
    }

    Source add(byte[] more) {
      byte[] next = Arrays.copyOf(bytes, bytes.length + more.length);
      System.arraycopy(more, 0, next, bytes.length, more.length);
      bytes = next;
      return this;
    }

    /** Every byte was given out. */
    boolean drained() {
      return at == bytes.length;
    }

    /** Bytes given out so far. */
    int read() {
      return at;
    }

    @Override
    public int read(ByteBuffer into) {
      if (at == bytes.length) return 0;
      int n = Math.min(Math.min(piece, into.remaining()), bytes.length - at);
      into.put(bytes, at, n);
      at += n;
      return n;
    }
  }

  /** Takes at most {@code accept} bytes a write (0: its buffer is full), and keeps them. */
  static final class Sink extends AlwaysOpen implements WritableByteChannel {
    int accept;
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();

    Sink(int accept) {
      this.accept = accept;
    }

    byte[] got() {
      return got.toByteArray();
    }

    @Override
    public int write(ByteBuffer from) {
      int n = Math.min(accept, from.remaining());
      for (int i = 0; i < n; i++) got.write(from.get());
      return n;
    }
  }
}
