package pekkochat.room;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters rooms feed: events persisted, persist latency, rooms alive on this node. */
public final class RoomMetrics {
  private final Counter persisted;
  private final Timer persistLatency;
  private final AtomicInteger roomsAlive = new AtomicInteger();

  public RoomMetrics(MeterRegistry registry) {
    persisted =
        Counter.builder("chat.messages.persisted")
            .description("timeline events written to the journal")
            .register(registry);
    persistLatency =
        Timer.builder("chat.persist.latency")
            .description("from a room starting a journal write to the journal confirming it (one record per write)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    registry.gauge("chat.rooms.alive", roomsAlive);
  }

  /** One journal write of {@code events} events, started at {@code startedNanos}. */
  void persisted(int events, long startedNanos) {
    persisted.increment(events);
    persistLatency.record(Duration.ofNanos(System.nanoTime() - startedNanos));
  }

  void roomStarted() {
    roomsAlive.incrementAndGet();
  }

  void roomStopped() {
    roomsAlive.decrementAndGet();
  }
}
