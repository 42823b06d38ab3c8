package pekkochat.common;

import java.time.Instant;

/**
 * Wall-clock time in epoch nanoseconds: comparable across nodes (unlike {@code System.nanoTime})
 * and fine enough for sub-millisecond delivery latencies.
 */
public final class EpochNanos {
  private EpochNanos() {}

  public static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
