package pekkochat.connection;

import pekkochat.wire.ClientFrame;

/**
 * One socket's buckets of {@link RateLimits}. A bucket is made on the first frame of its type,
 * so an idle socket (most of a node's 100k) holds none. Owned by one ConnectionActor.
 */
final class FrameLimiter {
  private final RateLimits limits;
  private final RateLimiter[] buckets = new RateLimiter[RateLimits.Kind.values().length];

  FrameLimiter(RateLimits limits) {
    this.limits = limits;
  }

  /** Whether {@code frame} may be handled now; a frame of no limited type always may. */
  boolean allows(ClientFrame frame, long nowNanos) {
    RateLimits.Kind kind = RateLimits.kindOf(frame);
    if (kind == null) return true;
    RateLimiter bucket = buckets[kind.ordinal()];
    if (bucket == null) {
      RateLimits.Limit limit = limits.of(kind);
      bucket = new RateLimiter(limit.burst(), limit.perSecond(), nowNanos);
      buckets[kind.ordinal()] = bucket;
    }
    return bucket.tryAcquire(nowNanos);
  }
}
