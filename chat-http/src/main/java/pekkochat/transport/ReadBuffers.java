package pekkochat.transport;

import java.nio.ByteBuffer;

/**
 * One direct read buffer per thread that reads sockets (the stream dispatcher's few threads), not
 * one per socket: a read copies only the bytes it got into the {@code ByteString} it pushes, so an
 * idle socket holds no buffer at all.
 */
final class ReadBuffers {
  private final ThreadLocal<ByteBuffer> perThread;

  ReadBuffers(int bytes) {
    perThread = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bytes));
  }

  /** This thread's buffer, empty. */
  ByteBuffer get() {
    return perThread.get().clear();
  }
}
