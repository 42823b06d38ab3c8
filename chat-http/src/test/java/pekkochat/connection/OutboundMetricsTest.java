package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pekkochat.common.EpochNanos;

/**
 * A socket queue's meters (docs/metrics.md): the delivery latency times live events only, from
 * the journal's confirmation to the frame leaving (catch-up, history and replies carry no stamp
 * and are not recorded), and the queue-depth gauges sample every open socket's queue.
 */
class OutboundMetricsTest {
  private static final ByteString EVENT = ByteString.fromString("{\"type\":\"message\"}");
  /** Every frame timed (the node samples one in chat.ws.latency-sample-every). */
  private static final SocketSettings SETTINGS = new SocketSettings(
      65_536, 8, 65_536, 1, 1, Duration.ofSeconds(90), Duration.ofSeconds(30), 1, Duration.ofSeconds(3), TestRateLimits.uniform(1, 1),
      Duration.ofSeconds(5), Duration.ofSeconds(1));
  private static final long PERSIST_TO_WRITE_MILLIS = 40;

  private static ActorSystem<Void> system;
  private static Heartbeat heartbeat;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SocketMetrics metrics = new SocketMetrics(registry);

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "outbound-metrics");
    heartbeat = new Heartbeat(system, SETTINGS.pingInterval(), SETTINGS.pingSlices());
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private Timer delivery() {
    return registry.get("chat.delivery.latency").timer();
  }

  @Test
  void onlyLiveEventsAreTimedFromTheirJournalConfirmation() {
    Outbound outbound = new Outbound(SETTINGS, metrics, heartbeat);
    outbound.offer(EVENT, 0); // a catch-up event or a reply: no journal stamp
    outbound.nextFrame();
    assertEquals(0, delivery().count(), "catch-up is not a delivery");

    long persistedAt = EpochNanos.now() - TimeUnit.MILLISECONDS.toNanos(PERSIST_TO_WRITE_MILLIS);
    outbound.offer(EVENT, persistedAt);
    outbound.nextFrame();
    assertEquals(1, delivery().count());
    assertTrue(delivery().max(TimeUnit.MILLISECONDS) >= PERSIST_TO_WRITE_MILLIS,
        "timed from the journal's confirmation, was " + delivery().max(TimeUnit.MILLISECONDS) + " ms");
  }

  @Test
  void queueGaugesSampleEveryOpenSocket() {
    SocketFlowsGauges gauges = new SocketFlowsGauges();
    Outbound a = new Outbound(SETTINGS, metrics, heartbeat);
    Outbound b = new Outbound(SETTINGS, metrics, heartbeat);
    a.attach(signal -> {});
    b.attach(signal -> {});
    try {
      for (int i = 0; i < 3; i++) a.offer(EVENT, 0);
      b.offer(EVENT, 0);
      assertEquals(4, gauges.total());
      assertEquals(3, gauges.deepest());
      a.nextFrame(); // one frame takes a's whole backlog
      assertEquals(1, gauges.total());
      assertEquals(1, gauges.deepest());
    } finally {
      a.detach();
      b.detach();
    }
    assertEquals(0, gauges.total(), "a closed socket's queue is no longer sampled");
  }

  /** The gauges as SocketFlows registers them, over the shared heartbeat's sockets. */
  private final class SocketFlowsGauges {
    SocketFlowsGauges() {
      metrics.watchQueues(heartbeat::queuedTotal, heartbeat::deepestQueue);
    }

    double total() {
      return registry.get("chat.ws.outbound.queued").gauge().value();
    }

    double deepest() {
      return registry.get("chat.ws.outbound.queue.max").gauge().value();
    }
  }
}
