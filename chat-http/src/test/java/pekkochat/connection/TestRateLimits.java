package pekkochat.connection;

import java.util.EnumMap;
import java.util.Map;

/** Rate limits for tests that drive a connection: the same bucket for every frame type. */
final class TestRateLimits {
  private TestRateLimits() {}

  static RateLimits uniform(int burst, double perSecond) {
    Map<RateLimits.Kind, RateLimits.Limit> limits = new EnumMap<>(RateLimits.Kind.class);
    for (RateLimits.Kind kind : RateLimits.Kind.values()) limits.put(kind, new RateLimits.Limit(burst, perSecond));
    return new RateLimits(limits);
  }
}
