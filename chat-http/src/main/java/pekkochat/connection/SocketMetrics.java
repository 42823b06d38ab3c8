package pekkochat.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of this node's sockets. */
public final class SocketMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter framesIn;
  private final Counter framesOut;
  private final Timer deliveryLatency;
  private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();

  public SocketMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("chat.ws.open", open);
    framesIn = Counter.builder("chat.ws.frames.in").description("client frames received").register(registry);
    framesOut = Counter.builder("chat.ws.frames.out").description("server frames written").register(registry);
    deliveryLatency =
        Timer.builder("chat.delivery.latency")
            .description("from the journal confirming an event to its frame leaving for the socket (sampled)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void opened() {
    open.incrementAndGet();
  }

  void closedSocket() {
    open.decrementAndGet();
  }

  /** A close the server initiated, by PROTOCOL.md's reason. */
  void closedFor(String reason) {
    closed
        .computeIfAbsent(reason, r -> Counter.builder("chat.ws.closed").tag("reason", r)
            .description("sockets the server closed, by reason").register(registry))
        .increment();
  }

  void frameIn() {
    framesIn.increment();
  }

  void frameOut() {
    framesOut.increment();
  }

  void delivered(long persistedAtEpochNanos, long nowEpochNanos) {
    deliveryLatency.record(Math.max(0, nowEpochNanos - persistedAtEpochNanos), TimeUnit.NANOSECONDS);
  }
}
