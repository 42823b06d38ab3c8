package pekkochat.room;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node that was paused (SIGSTOP, a frozen VM, a stalled host) from writing as its rooms'
 * writer once it runs again. While it could not run, its peers may have downed it, or its rooms'
 * leases may have run out, and another node may already write those rooms; the paused node cannot
 * tell, since it saw nothing of that time. So a pause longer than the bound closes the fence for
 * good: no room of this node writes again, and {@code onPause} (the node's shutdown) runs.
 *
 * <p>A beat thread notes the time every {@code beat}. A room asks {@link #mayWrite()} before each
 * journal write, which also compares the last beat with the clock: right after a resume, a room may
 * run before the beat thread does, and it must not write either. A write that was already on its
 * way to the database when the node froze may still land; the journal's unique (persistence id,
 * seq) key keeps it from forking a room's sequence. Until {@link #watch} (a standalone node, the
 * only writer of its database, never calls it) the fence is open.
 */
public final class PauseFence implements Extension {
  private static final Logger log = LoggerFactory.getLogger(PauseFence.class);

  private static final ExtensionId<PauseFence> ID = new ExtensionId<>() {
    @Override
    public PauseFence createExtension(ActorSystem<?> system) {
      return new PauseFence(System::nanoTime);
    }
  };

  private final LongSupplier nanoClock;
  /** Written by the beat thread, read by every room: the one state shared outside an actor here. */
  private volatile long lastBeatNanos;
  private volatile long boundNanos = Long.MAX_VALUE;
  private volatile boolean closed;

  /** {@code nanoClock}: {@link System#nanoTime} but in tests. */
  PauseFence(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.lastBeatNanos = nanoClock.getAsLong();
  }

  public static PauseFence get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Starts the watch: from now on a pause over {@code bound} closes the fence and runs {@code onPause}. */
  public synchronized void watch(ActorSystem<?> system, Duration beat, Duration bound, Runnable onPause) {
    if (boundNanos != Long.MAX_VALUE) throw new IllegalStateException("the pause fence is already watched");
    if (beat.compareTo(bound) >= 0) throw new IllegalArgumentException("the beat (" + beat + ") must be shorter than the bound (" + bound + ")");
    lastBeatNanos = nanoClock.getAsLong();
    boundNanos = bound.toNanos();
    Thread beats = new Thread(() -> beat(beat, bound, onPause), "pause-fence");
    beats.setDaemon(true);
    beats.start();
    system.getWhenTerminated().thenRun(beats::interrupt);
  }

  /** False once the node was paused longer than the bound, or while it may just have been. */
  public boolean mayWrite() {
    return !closed && nanoClock.getAsLong() - lastBeatNanos <= boundNanos;
  }

  private void beat(Duration beat, Duration bound, Runnable onPause) {
    try {
      while (true) {
        Thread.sleep(beat.toMillis());
        long now = nanoClock.getAsLong();
        long gap = now - lastBeatNanos;
        if (gap > boundNanos) {
          closed = true;
          log.error("this node did not run for {} ms (over chat.pause-fence.bound, {}): its peers may run its "
              + "rooms now, so it writes nothing more and shuts down", gap / 1_000_000, bound);
          onPause.run();
          return;
        }
        lastBeatNanos = now;
      }
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }
}
