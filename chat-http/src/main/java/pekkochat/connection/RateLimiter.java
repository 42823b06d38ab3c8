package pekkochat.connection;

/** A token bucket: {@code burst} at once, then {@code perSecond}. Owned by one actor. */
final class RateLimiter {
  private final double burst;
  private final double perNano;
  private double tokens;
  private long lastNanos;

  RateLimiter(int burst, double perSecond, long nowNanos) {
    this.burst = burst;
    this.perNano = perSecond / 1_000_000_000.0;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
    lastNanos = nowNanos;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
