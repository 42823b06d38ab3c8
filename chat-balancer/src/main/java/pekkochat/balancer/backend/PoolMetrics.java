package pekkochat.balancer.backend;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pool's state as Prometheus meters. The {@link BackendPool} actor is the only writer; the
 * atomics exist because the registry reads gauges from the scraping thread, outside the actor.
 */
final class PoolMetrics {

  private record BackendMeters(AtomicLong openSockets, AtomicLong up, Counter proxied, Counter markedDown) {}

  private final Map<BackendAddress, BackendMeters> meters = new HashMap<>();

  PoolMetrics(MeterRegistry registry, List<BackendAddress> backends) {
    for (BackendAddress backend : backends) {
      String label = backend.toString();
      AtomicLong open = new AtomicLong();
      AtomicLong up = new AtomicLong();
      Gauge.builder("balancer.backend.open.sockets", open, AtomicLong::get)
          .description("WebSocket connections proxied to the backend and still open")
          .tag("backend", label)
          .register(registry);
      Gauge.builder("balancer.backend.up", up, AtomicLong::get)
          .description("1 while the backend is given new sockets and requests")
          .tag("backend", label)
          .register(registry);
      Counter proxied = Counter.builder("balancer.backend.proxied")
          .description("requests and WebSocket upgrades sent to the backend")
          .tag("backend", label)
          .register(registry);
      Counter markedDown = Counter.builder("balancer.backend.marked.down")
          .description("times the backend went from up to down, by checks or by a failed connection")
          .tag("backend", label)
          .register(registry);
      meters.put(backend, new BackendMeters(open, up, proxied, markedDown));
    }
  }

  void update(BackendState before, BackendState after) {
    BackendMeters m = meters.get(after.address());
    m.openSockets().set(after.openSockets());
    m.up().set(after.usable() ? 1 : 0);
    if (after.requestsProxied() > before.requestsProxied()) m.proxied().increment(after.requestsProxied() - before.requestsProxied());
    if (before.usable() && !after.usable()) m.markedDown().increment();
  }
}
