package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The write fence on a clock the test moves: a pause over the bound closes it at once and for good; a lost majority closes it until it is back. */
class WriteFenceTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration BEAT = Duration.ofMillis(10);
  private static final Duration BOUND = Duration.ofSeconds(4);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anUnwatchedFenceStaysOpenWhateverTheClockDoes() {
    AtomicLong clock = new AtomicLong();
    WriteFence fence = new WriteFence(clock::get);
    clock.addAndGet(Duration.ofHours(1).toNanos());
    assertTrue(fence.mayWrite());
  }

  @Test
  void beatsKeepTheFenceOpenWhileTimeGoesOnInStepsUnderTheBound() throws InterruptedException {
    AtomicLong clock = new AtomicLong();
    AtomicInteger pauses = new AtomicInteger();
    WriteFence fence = new WriteFence(clock::get);
    fence.watchPauses(testKit.system(), BEAT, BOUND, pauses::incrementAndGet);
    for (int step = 0; step < 10; step++) {
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      Thread.sleep(BEAT.toMillis() * 10); // several beats see each step
      assertTrue(fence.mayWrite(), "open after " + (step + 1) + " s of one-second steps");
    }
    assertEquals(0, pauses.get());
  }

  @Test
  void aLostMajorityClosesTheFenceUntilItIsBack() {
    WriteFence fence = new WriteFence(new AtomicLong()::get);
    fence.majority(false);
    assertFalse(fence.mayWrite());
    fence.majority(true);
    assertTrue(fence.mayWrite());
  }

  @Test
  void aPauseOverTheBoundClosesTheFenceBeforeTheBeatSeesItAndForGood() throws InterruptedException {
    AtomicLong clock = new AtomicLong();
    CountDownLatch paused = new CountDownLatch(1);
    WriteFence fence = new WriteFence(clock::get);
    fence.watchPauses(testKit.system(), BEAT, BOUND, paused::countDown);
    clock.addAndGet(BOUND.plusSeconds(1).toNanos());
    assertFalse(fence.mayWrite(), "closed for a room that runs before the beat thread");
    assertTrue(paused.await(5, TimeUnit.SECONDS), "the beat thread runs the shutdown");
    Thread.sleep(BEAT.toMillis() * 10);
    assertFalse(fence.mayWrite(), "still closed once beats could have gone on");
  }
}
