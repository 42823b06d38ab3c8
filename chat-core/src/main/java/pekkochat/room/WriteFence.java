package pekkochat.room;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node from writing as its rooms' writer when another node may write them: a room asks
 * {@link #mayWrite()} before each journal write. Two things close it.
 *
 * <p><b>A pause.</b> While a node could not run (SIGSTOP, a frozen VM, a stalled host), its peers may
 * have downed it, or its rooms' leases may have run out, and another node may write those rooms
 * now; the paused node saw nothing of that time. So a pause longer than the bound closes the fence
 * for good, and {@code onPause} (the node's shutdown) runs. A beat thread notes the time every
 * {@code beat}; {@link #mayWrite()} also compares the last beat with the clock, since right after a
 * resume a room may run before the beat thread does.
 *
 * <p><b>No majority.</b> A cluster node that sees too few members reachable to be on the side the
 * Split Brain Resolver keeps ({@link ClusterMajority}) stops writing at once, seconds before the
 * other side, after the resolver's stable-after, downs it and starts its rooms; the fence opens
 * again if the others come back before that.
 *
 * <p>A write already on its way to the database when the fence closed may still land; the journal's
 * unique (persistence id, seq) key keeps it from forking a room's sequence. Until {@link
 * #watchPauses} and {@link #majority} are called (a standalone node, the only writer of its
 * database, calls neither) the fence is open.
 */
public final class WriteFence implements Extension {
  private static final Logger log = LoggerFactory.getLogger(WriteFence.class);

  private static final ExtensionId<WriteFence> ID = new ExtensionId<>() {
    @Override
    public WriteFence createExtension(ActorSystem<?> system) {
      return new WriteFence(System::nanoTime);
    }
  };

  private final LongSupplier nanoClock;
  /** Written by the beat thread and the majority watch, read by every room. */
  private volatile long lastBeatNanos;
  private volatile long boundNanos = Long.MAX_VALUE;
  private volatile boolean paused;
  private volatile boolean majority = true;

  /** {@code nanoClock}: {@link System#nanoTime} but in tests. */
  WriteFence(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.lastBeatNanos = nanoClock.getAsLong();
  }

  public static WriteFence get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Starts the pause watch: from now on a pause over {@code bound} closes the fence and runs {@code onPause}. */
  public synchronized void watchPauses(ActorSystem<?> system, Duration beat, Duration bound, Runnable onPause) {
    if (boundNanos != Long.MAX_VALUE) throw new IllegalStateException("pauses are already watched");
    if (beat.compareTo(bound) >= 0) throw new IllegalArgumentException("the beat (" + beat + ") must be shorter than the bound (" + bound + ")");
    lastBeatNanos = nanoClock.getAsLong();
    boundNanos = bound.toNanos();
    Thread beats = new Thread(() -> beat(beat, bound, onPause), "pause-fence");
    beats.setDaemon(true);
    beats.start();
    system.getWhenTerminated().thenRun(beats::interrupt);
  }

  /** Whether this node is on the side of the cluster that keeps its rooms. */
  public void majority(boolean seesMajority) {
    if (seesMajority != majority) {
      if (seesMajority) log.warn("a majority of the cluster is reachable again: rooms of this node write again");
      else log.warn("this node does not see a majority of the cluster: its rooms write nothing until it does");
    }
    majority = seesMajority;
  }

  /** False once the node was paused longer than the bound, while it may just have been, or without a majority. */
  public boolean mayWrite() {
    return majority && !paused && nanoClock.getAsLong() - lastBeatNanos <= boundNanos;
  }

  private void beat(Duration beat, Duration bound, Runnable onPause) {
    try {
      while (true) {
        Thread.sleep(beat.toMillis());
        long now = nanoClock.getAsLong();
        long gap = now - lastBeatNanos;
        if (gap > boundNanos) {
          paused = true;
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
