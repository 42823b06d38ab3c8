package pekkochat.room;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import pekkochat.common.LatencyHistograms;

/**
 * The meters rooms feed (docs/metrics.md): events persisted, persist latency, journal failures,
 * rooms alive on this node. No meter carries a room id: labels stay bounded.
 */
public final class RoomMetrics {
  /** The journal operation that failed: the {@code operation} label's only values. */
  enum JournalOperation {
    WRITE("write"),
    RECOVERY("recovery");

    final String label;

    JournalOperation(String label) {
      this.label = label;
    }
  }

  private final Counter persisted;
  private final Timer persistLatency;
  private final Counter writeFailures;
  private final Counter recoveryFailures;
  private final Counter expired;
  private final AtomicInteger roomsAlive = new AtomicInteger();

  public RoomMetrics(MeterRegistry registry) {
    persisted =
        Counter.builder("chat.messages.persisted")
            .description("timeline events written to the journal")
            .register(registry);
    persistLatency = LatencyHistograms.timer(registry, "chat.persist.latency",
        "from a room starting a journal write to the journal confirming it (one record per write)");
    writeFailures = journalFailures(registry, JournalOperation.WRITE);
    recoveryFailures = journalFailures(registry, JournalOperation.RECOVERY);
    expired =
        Counter.builder("chat.sends.expired")
            .description("sends a room reached after their socket had answered them unavailable: dropped unwritten")
            .register(registry);
    Gauge.builder("chat.rooms.alive", roomsAlive, AtomicInteger::get)
        .description("room actors running on this node, counted from a completed recovery to their stop")
        .register(registry);
  }

  private static Counter journalFailures(MeterRegistry registry, JournalOperation operation) {
    return Counter.builder("chat.journal.failures")
        .tag("operation", operation.label)
        .description("journal writes (and rejections) or room recoveries that failed")
        .register(registry);
  }

  /** One journal write of {@code events} events, started at {@code startedNanos}. */
  void persisted(int events, long startedNanos) {
    persisted.increment(events);
    persistLatency.record(Duration.ofNanos(System.nanoTime() - startedNanos));
  }

  void expired() {
    expired.increment();
  }

  void journalFailed(JournalOperation operation) {
    (operation == JournalOperation.WRITE ? writeFailures : recoveryFailures).increment();
  }

  /** A room finished its recovery: from here on it is alive until it stops. */
  void roomStarted() {
    roomsAlive.incrementAndGet();
  }

  /** Only for a room that {@link #roomStarted started}: a failed recovery never counted it. */
  void roomStopped() {
    roomsAlive.decrementAndGet();
  }
}
