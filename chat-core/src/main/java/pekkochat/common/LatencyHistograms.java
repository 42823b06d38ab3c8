package pekkochat.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The one shape of every latency meter of a node: a Prometheus histogram (cumulative
 * {@code _bucket} series), never client-side quantiles, which cannot be added up across nodes.
 * The bucket bounds are part of the metrics' contract (docs/metrics.md, the Grafana dashboard's
 * {@code histogram_quantile} and {@code le} queries), not a tuning knob: every node exposes the
 * same bounds, or a sum over nodes means nothing. They bracket PROTOCOL.md's figures: a delivery
 * within milliseconds, {@code unavailable} within about a second, a catch-up within seconds.
 */
public final class LatencyHistograms {
  /** Bounds an operator writes alerts against ({@code le="0.1"}, {@code le="1.0"}, ...). */
  static final Duration[] SERVICE_LEVELS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /** Micrometer's percentile buckets are kept between these, so each histogram has a bounded series count. */
  static final Duration SMALLEST = Duration.ofMillis(1);

  static final Duration LARGEST = Duration.ofSeconds(30);

  private LatencyHistograms() {}

  /** A timer exposed as {@code <name>_seconds_bucket|_count|_sum} (and {@code _max}). */
  public static Timer timer(MeterRegistry registry, String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .serviceLevelObjectives(SERVICE_LEVELS)
        .minimumExpectedValue(SMALLEST)
        .maximumExpectedValue(LARGEST)
        .register(registry);
  }
}
