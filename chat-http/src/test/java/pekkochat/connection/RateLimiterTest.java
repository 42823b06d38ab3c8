package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenTheSteadyRate() {
    RateLimiter limiter = new RateLimiter(20, 10, 0);
    int allowed = 0;
    for (int i = 0; i < 30; i++) if (limiter.tryAcquire(0)) allowed++;
    assertEquals(20, allowed);
    assertFalse(limiter.tryAcquire(SECOND / 20));
    assertTrue(limiter.tryAcquire(SECOND / 10));
    int nextSecond = 0;
    for (int i = 0; i < 30; i++) if (limiter.tryAcquire(SECOND + SECOND / 10)) nextSecond++;
    assertEquals(10, nextSecond);
  }
}
