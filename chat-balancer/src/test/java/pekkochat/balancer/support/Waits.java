package pekkochat.balancer.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions that become true asynchronously. */
public final class Waits {

  private static final long POLL_MILLIS = 50;

  private Waits() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) return;
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
