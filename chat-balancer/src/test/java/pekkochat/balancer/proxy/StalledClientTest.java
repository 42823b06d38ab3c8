package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.RawWsBackend;
import pekkochat.balancer.support.RawWsClient;
import pekkochat.balancer.support.Waits;
import pekkochat.balancer.support.WireFrames;

/**
 * A client that stops reading while its backend keeps writing: the balancer stops reading for it
 * (back-pressure), its socket moves no byte, and the idle timeout closes it, both its connections
 * with it. The clients that read go on getting frames at the backend's pace all along.
 */
class StalledClientTest {

  private static final int READERS = 3;
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  /** the backend writes a frame to every socket this often */
  private static final long PACE_MILLIS = 20;
  /** the longest a reader may go without a frame: the pace plus scheduling noise, far below the stall */
  private static final Duration MAX_GAP = Duration.ofMillis(750);

  @Test
  void aClientThatStopsReadingIsClosedWithoutDelayingTheOthers() throws Exception {
    try (RawWsBackend backend = new RawWsBackend(0);
        InProcessBalancer balancer = new InProcessBalancer(List.of(backend.address()),
            "pekko.http.server.idle-timeout = " + IDLE_TIMEOUT.toMillis() + "ms");
        RawWsClient stalled = RawWsClient.upgrade(balancer.port(), "/ws?flood=1&pace=" + PACE_MILLIS, Map.of(), 4096)) {
      balancer.awaitUp(List.of(backend.address()));
      assertEquals(101, stalled.answer().status());
      AtomicBoolean stop = new AtomicBoolean();
      List<RawWsClient> readers = new ArrayList<>();
      List<CompletableFuture<Long>> longestGaps = new ArrayList<>();
      try {
        for (int i = 0; i < READERS; i++) {
          RawWsClient reader = RawWsClient.upgrade(balancer.port(), "/ws?flood=1&pace=" + PACE_MILLIS, Map.of(), 0);
          readers.add(reader);
          longestGaps.add(CompletableFuture.supplyAsync(() -> longestGapMillis(reader, stop)));
        }
        Waits.until(Duration.ofSeconds(5), "all sockets open", () -> balancer.status().get("openSockets").asInt() == READERS + 1);

        // the stalled client reads nothing; the balancer closes it once it moved no byte for the idle timeout
        Waits.until(IDLE_TIMEOUT.multipliedBy(5), "the stalled socket closed",
            () -> balancer.status().get("openSockets").asInt() == READERS);
        // and the readers kept on through it, undelayed, and still do
        Thread.sleep(IDLE_TIMEOUT.toMillis());
        assertEquals(READERS, balancer.status().get("openSockets").asInt(), "a reading socket was closed too");
        stop.set(true);
        for (CompletableFuture<Long> gap : longestGaps) {
          long longest = gap.orTimeout(10, TimeUnit.SECONDS).join();
          assertTrue(longest < MAX_GAP.toMillis(), "a reader waited " + longest + " ms for a frame while one client stalled");
        }
      } finally {
        stop.set(true);
        readers.forEach(RawWsClient::close);
      }
    }
  }

  /** Reads frames until told to stop; the longest wait between two frames. */
  private static long longestGapMillis(RawWsClient reader, AtomicBoolean stop) {
    long last = System.nanoTime();
    long longest = 0;
    try {
      while (!stop.get()) {
        WireFrames.Frame frame = reader.readFrame();
        if (frame.opcode() != WireFrames.TEXT) throw new AssertionError("a reader got " + frame);
        long now = System.nanoTime();
        longest = Math.max(longest, now - last);
        last = now;
      }
      return longest / 1_000_000;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
