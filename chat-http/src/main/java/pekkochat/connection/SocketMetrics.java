package pekkochat.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import pekkochat.common.LatencyHistograms;
import pekkochat.wire.ErrorCode;

/**
 * The meters of this node's sockets (docs/metrics.md). Every label value comes from a closed
 * set (an {@link ErrorCode}, a {@link CloseReason}, a send's outcome), registered up front so that
 * each series exists from the first scrape (a counter that appears only when it first moves
 * breaks {@code rate()} and alerts); never a room id or a user name.
 */
public final class SocketMetrics {
  /** How a send ended: acked, or the error code it was answered with. */
  static final String ACKED = "acked";

  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter opened;
  private final Counter framesIn;
  private final Counter framesOut;
  private final Timer deliveryLatency;
  private final Timer ackLatency;
  private final Timer catchUpTime;
  private final Map<String, Counter> closed = new HashMap<>();
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Map<String, Counter> sends = new HashMap<>();

  public SocketMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("chat.ws.open", open, AtomicInteger::get)
        .description("open WebSockets on this node").register(registry);
    opened = Counter.builder("chat.ws.opened").description("sockets opened: connection actors spawned").register(registry);
    framesIn = Counter.builder("chat.ws.frames.in").description("client frames received").register(registry);
    framesOut = Counter.builder("chat.ws.frames.out").description("server frames written").register(registry);
    deliveryLatency = LatencyHistograms.timer(registry, "chat.delivery.latency",
        "from the journal confirming a live event to its frame leaving for the socket (sampled per socket)");
    ackLatency = LatencyHistograms.timer(registry, "chat.ack.latency",
        "from a send frame arriving to its ack being queued for the socket");
    catchUpTime = LatencyHistograms.timer(registry, "chat.catchup.time",
        "from a socket subscribing to a room to the last catch-up event being queued for it");
    for (CloseReason reason : CloseReason.values()) {
      closed.computeIfAbsent(reason.wire(), r -> Counter.builder("chat.ws.closed").tag("reason", r)
          .description("sockets the server closed, by PROTOCOL.md reason").register(registry));
    }
    for (ErrorCode code : ErrorCode.values()) {
      errors.put(code, Counter.builder("chat.ws.errors").tag("code", code.wireName())
          .description("error frames sent, by PROTOCOL.md code").register(registry));
      sends.put(code.wireName(), sendCounter(code.wireName()));
    }
    sends.put(ACKED, sendCounter(ACKED));
  }

  private Counter sendCounter(String outcome) {
    return Counter.builder("chat.sends").tag("outcome", outcome)
        .description("send frames answered, by outcome: acked or the error code").register(registry);
  }

  /** Outbound queue depth, sampled from every open socket's queue at each scrape. */
  void watchQueues(Supplier<Number> queuedTotal, Supplier<Number> deepest) {
    Gauge.builder("chat.ws.outbound.queued", queuedTotal)
        .description("events waiting in the outbound queues of this node's sockets, summed").register(registry);
    Gauge.builder("chat.ws.outbound.queue.max", deepest)
        .description("events waiting in the deepest outbound queue of this node's sockets").register(registry);
  }

  void opened() {
    opened.increment();
    open.incrementAndGet();
  }

  void closedSocket() {
    open.decrementAndGet();
  }

  /** A close the server initiated, by PROTOCOL.md's reason. */
  void closedFor(String reason) {
    closed.get(reason).increment();
  }

  void error(ErrorCode code) {
    errors.get(code).increment();
  }

  /** A send answered: {@link #ACKED} or an error code's wire name. */
  void sendAnswered(String outcome) {
    sends.get(outcome).increment();
  }

  void acked(long receivedNanos) {
    ackLatency.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
  }

  void caughtUp(long subscribedNanos) {
    catchUpTime.record(System.nanoTime() - subscribedNanos, TimeUnit.NANOSECONDS);
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
