package pekkochat.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that only waits: it tells a socket's {@link SocketStage} that its channel became
 * readable or writable, and does no I/O itself. The stage reads and writes on its own stream's
 * thread, so a delivery costs no hop through this thread; a socket is armed here only when a read
 * found nothing or a write did not fit (level-triggered NIO: an armed interest is cleared as it
 * fires, and the stage arms it again when it needs to).
 */
final class SelectorLoop implements AutoCloseable {
  /** What a registered channel's stage is told, on this loop's thread. */
  interface Readiness {
    void ready(int readyOps);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);

  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;

  SelectorLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Registers {@code channel} with no interest yet; {@link #arm} asks for readiness. */
  SelectionKey register(SocketChannel channel, Readiness readiness) throws ClosedChannelException {
    return channel.register(selector, 0, readiness);
  }

  /** Asks to be told once when {@code key}'s channel is ready for {@code op}. */
  void arm(SelectionKey key, int op) {
    try {
      key.interestOpsOr(op);
    } catch (CancelledKeyException closed) {
      return;
    }
    // the selector applies an interest change at its next select: wake it if it sleeps
    selector.wakeup();
  }

  /**
   * After a registered channel's close: the JDK closes the socket itself (and an abort's reset
   * goes out) only when the selector drops the cancelled key at its next select, so wake it.
   */
  void closed() {
    selector.wakeup();
  }

  private void run() {
    while (running) {
      try {
        selector.select(SelectorLoop::fire);
      } catch (IOException | RuntimeException e) {
        if (running) LOG.warn("selector loop failed once", e);
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // the process is going away with it
    }
  }

  private static void fire(SelectionKey key) {
    try {
      int ready = key.readyOps();
      key.interestOpsAnd(~ready);
      ((Readiness) key.attachment()).ready(ready);
    } catch (CancelledKeyException closed) {
      // the stage closed its channel meanwhile
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }
}
