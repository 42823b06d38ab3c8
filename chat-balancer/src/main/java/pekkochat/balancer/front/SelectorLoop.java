package pekkochat.balancer.front;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread with one selector, owning every connection handed to it, both sockets of each:
 * readiness in, a read, a write, no other thread in between. Other threads reach a connection
 * only through {@link #execute}. Once per sweep interval the loop looks at every connection for
 * deadlines (idle, handshake), so that no connection needs a timer of its own.
 */
final class SelectorLoop implements Runnable {

  /** What a selection key's attachment does; called on the loop's thread only. */
  interface Attachment {
    void ready(SelectionKey key);

    /** Ends the connection if one of its deadlines passed. */
    void sweep(long nowNanos);

    /** The balancer stops: end the connection with the balancer's own last word, if it is owed one. */
    void drain();

    void close();
  }

  private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

  private final Selector selector;
  private final ByteBuffer shared;
  private final long sweepNanos;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<Attachment> connections = new HashSet<>();
  private volatile boolean running = true;
  /** set once the balancer stops: the loop ends by then */
  private long stopDeadline;
  private CompletableFuture<Void> stopped;

  SelectorLoop(int readBufferBytes, long sweepNanos) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.shared = ByteBuffer.allocateDirect(readBufferBytes);
    this.sweepNanos = sweepNanos;
  }

  Selector selector() {
    return selector;
  }

  /** The buffer every read of this loop goes into first; its content is only valid during one read. */
  ByteBuffer shared() {
    return shared;
  }

  /** Runs {@code task} on the loop's thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  void add(Attachment connection) {
    connections.add(connection);
  }

  void remove(Attachment connection) {
    connections.remove(connection);
  }

  /** Runs {@code action} on every connection of this loop, on its thread. */
  void forEach(Consumer<Attachment> action) {
    execute(() -> new ArrayList<>(connections).forEach(action));
  }

  /**
   * Ends the loop once its connections have all ended, or at {@code deadlineNanos}, cutting those
   * left then; {@code stopped} completes when it has.
   */
  void stopBy(long deadlineNanos, CompletableFuture<Void> stopped) {
    execute(() -> {
      stopDeadline = deadlineNanos;
      this.stopped = stopped;
      stopIfDone(System.nanoTime());
    });
  }

  private void stopIfDone(long now) {
    if (stopped == null || (!connections.isEmpty() && now - stopDeadline < 0)) return;
    new ArrayList<>(connections).forEach(Attachment::close);
    running = false;
    stopped.complete(null);
  }

  @Override
  public void run() {
    long nextSweep = System.nanoTime() + sweepNanos;
    while (running) {
      try {
        selector.select(Math.max(1, sweepNanos / 1_000_000));
        Set<SelectionKey> selected = selector.selectedKeys();
        for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid()) ((Attachment) key.attachment()).ready(key);
        }
        for (Runnable task; (task = tasks.poll()) != null; ) task.run();
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          nextSweep = now + sweepNanos;
          new ArrayList<>(connections).forEach(c -> c.sweep(now));
          stopIfDone(now);
        }
      } catch (IOException | RuntimeException e) {
        // one connection's fault must not end the loop that carries the others
        log.warn("selector loop", e);
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // the loop has ended; its sockets are closed already
    }
  }
}
