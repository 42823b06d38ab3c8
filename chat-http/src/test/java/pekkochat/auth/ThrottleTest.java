package pekkochat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong();

  @Test
  void eachKeyHasItsOwnBurstThenTheRate() {
    Throttle throttle = new Throttle(new Throttle.Limit(3, 1, 100), now::get);
    int taken = 0;
    for (int i = 0; i < 10; i++) if (throttle.tryTake("alice")) taken++;
    assertEquals(3, taken, "the burst");
    assertFalse(throttle.allows("alice"));
    assertTrue(throttle.allows("bob"), "another key is untouched");
    assertTrue(throttle.tryTake("bob"));
    now.addAndGet(SECOND);
    assertTrue(throttle.allows("alice"), "one token a second");
    assertTrue(throttle.tryTake("alice"));
    assertFalse(throttle.tryTake("alice"));
  }

  @Test
  void allowsDoesNotTakeAToken() {
    Throttle throttle = new Throttle(new Throttle.Limit(1, 1, 100), now::get);
    for (int i = 0; i < 5; i++) assertTrue(throttle.allows("carol"));
    assertTrue(throttle.tryTake("carol"));
    assertFalse(throttle.allows("carol"));
  }

  @Test
  void refilledKeysAreShedFirstAndPastTheBoundAllIsForgiven() {
    Throttle throttle = new Throttle(new Throttle.Limit(2, 1, 10), now::get);
    throttle.tryTake("target");
    throttle.tryTake("target");
    for (int i = 0; i < 9; i++) throttle.tryTake("old" + i);
    now.addAndGet(5 * SECOND); // the old keys refill; the target took its tokens just as long ago
    throttle.tryTake("target");
    throttle.tryTake("target");
    throttle.tryTake("one-more"); // 11 keys: the refilled ones go, the exhausted target stays
    assertFalse(throttle.allows("target"), "an exhausted key survives the shedding of refilled ones");
    for (int i = 0; i < 20; i++) throttle.tryTake("new" + i); // none refilled: over the bound, start over
    assertTrue(throttle.allows("target"), "memory stays bounded, at the price of forgiving");
  }
}
