package pekkochat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * The node sets G1's manageable flags itself: the free ratios once (unless set already), and
 * periodic collections on only while much of the heap is free. The build's JVMs run G1, as a
 * plain {@code java -jar} node on a server-class machine does.
 */
class HeapReturnTest {
  private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

  @Test
  void setsTheFreeRatiosOnceAndLeavesAFlagThatIsSetAlready() {
    assertEquals("true", hotspot.getVMOption("UseG1GC").getValue());
    ActorTestKit kit = ActorTestKit.create();
    try {
      HeapReturn.start(kit.system(), ConfigFactory.parseString(
          "periodic-gc-interval = 10s, return-above-free-percent = 50, return-at-least = 128MiB, check-interval = 1h,"
              + " min-heap-free-ratio = 12, max-heap-free-ratio = 34"));
      assertEquals("12", hotspot.getVMOption("MinHeapFreeRatio").getValue());
      assertEquals("34", hotspot.getVMOption("MaxHeapFreeRatio").getValue());
      // now set (not at its default), as by an operator's flag: a second start changes nothing
      HeapReturn.start(kit.system(), ConfigFactory.parseString(
          "periodic-gc-interval = 10s, return-above-free-percent = 50, return-at-least = 128MiB, check-interval = 1h,"
              + " min-heap-free-ratio = 20, max-heap-free-ratio = 40"));
      assertEquals("34", hotspot.getVMOption("MaxHeapFreeRatio").getValue());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void periodicCollectionsRunOnlyWhileMuchOfTheHeapIsFree() {
    HeapReturn heapReturn = new HeapReturn(hotspot, Duration.ofSeconds(17), 50, 100, 0);
    assertTrue(heapReturn.muchFree(1000, 400), "60 % free is more than 50 %");
    assertFalse(heapReturn.muchFree(1000, 500), "50 % is not more than 50 %");
    assertFalse(heapReturn.muchFree(150, 60), "60 % free, but less than the 100 bytes worth a collection");
    heapReturn.periodicCollections(true);
    assertEquals("17000", hotspot.getVMOption("G1PeriodicGCInterval").getValue());
    heapReturn.periodicCollections(false);
    assertEquals("0", hotspot.getVMOption("G1PeriodicGCInterval").getValue());
    // this JVM's real heap: any free byte counts at 0 %, unless it lies under the minimum heap
    HeapReturn anyFree = new HeapReturn(hotspot, Duration.ofSeconds(17), 0, 0, 0);
    anyFree.check();
    assertEquals("17000", hotspot.getVMOption("G1PeriodicGCInterval").getValue());
    HeapReturn cannotShrink = new HeapReturn(hotspot, Duration.ofSeconds(17), 0, 0, 1L << 50); // a petabyte
    cannotShrink.periodicCollections(true);
    cannotShrink.check();
    assertEquals("0", hotspot.getVMOption("G1PeriodicGCInterval").getValue(),
        "a heap held at its minimum (-Xms as large as the heap) has nothing to give back");
  }
}
