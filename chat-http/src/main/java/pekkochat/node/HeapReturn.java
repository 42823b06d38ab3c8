package pekkochat.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import com.typesafe.config.Config;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a plain {@code java -jar} node give back the heap a burst made it take. G1 grows the heap
 * while 10,000 sockets connect and keeps it: about 80 KB of RSS per idle socket for 25 KB of live
 * data (docs/performance.md). G1 returns memory after a concurrent collection that finds it free
 * (JEP 346), and the flags for that can be set at run time ("manageable"), so the node sets them:
 *
 * <ul>
 *   <li>at most {@code max-heap-free-ratio} percent of the heap is kept free after a collection;
 *   <li>while more than {@code return-above-free-percent} of the heap, and at least
 *       {@code return-at-least}, is free, G1 runs a concurrent collection once
 *       {@code periodic-gc-interval} passed without one. Each such collection shrinks the heap
 *       below that share, so they stop by themselves, and a quiet node with little to give back
 *       spends no CPU on them.
 * </ul>
 *
 * A flag the operator set on the command line is left as it is; on a JVM that does not run G1,
 * nothing is changed.
 */
final class HeapReturn {
  private static final Logger log = LoggerFactory.getLogger(HeapReturn.class);
  private static final String PERIODIC = "G1PeriodicGCInterval";
  private static final String OFF = "0";
  private static final int PERCENT = 100;
  private static final String EDEN = "Eden";

  private final HotSpotDiagnosticMXBean hotspot;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  /** The heap's spaces but eden. */
  private final List<MemoryPoolMXBean> heldPools;
  private final String interval;
  private final int returnAboveFreePercent;
  private final long returnAtLeastBytes;
  private final long minHeapBytes;
  private String current = OFF;

  HeapReturn(HotSpotDiagnosticMXBean hotspot, Duration interval, int returnAboveFreePercent, long returnAtLeastBytes,
      long minHeapBytes) {
    this.hotspot = hotspot;
    this.heldPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains(EDEN))
        .toList();
    this.interval = Long.toString(interval.toMillis());
    this.returnAboveFreePercent = returnAboveFreePercent;
    this.returnAtLeastBytes = returnAtLeastBytes;
    this.minHeapBytes = minHeapBytes;
  }

  /** Sets the free ratios, and checks every {@code check-interval} whether there is heap to give back. */
  static void start(ActorSystem<?> system, Config jvm) {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null || !"true".equals(optionValue(hotspot, "UseG1GC"))) {
      log.info("heap return off: the JVM does not run G1");
      return;
    }
    // MinHeapFreeRatio first: G1 refuses a MaxHeapFreeRatio below it
    setIfDefault(hotspot, "MinHeapFreeRatio", Integer.toString(jvm.getInt("min-heap-free-ratio")));
    setIfDefault(hotspot, "MaxHeapFreeRatio", Integer.toString(jvm.getInt("max-heap-free-ratio")));
    if (!isDefault(hotspot, PERIODIC)) return;
    HeapReturn heapReturn = new HeapReturn(hotspot, jvm.getDuration("periodic-gc-interval"),
        jvm.getInt("return-above-free-percent"), jvm.getBytes("return-at-least"),
        Long.parseLong(optionValue(hotspot, "MinHeapSize")));
    Duration every = jvm.getDuration("check-interval");
    system.scheduler().scheduleAtFixedRate(every, every, heapReturn::check, system.executionContext());
  }

  /**
   * Periodic collections on while much of the heap is free, else off. What is held is what the
   * old and survivor spaces hold now: eden is garbage or soon moved, and G1 updates the pools'
   * after-collection usage only for some kinds of collection.
   */
  void check() {
    long held = 0;
    for (MemoryPoolMXBean pool : heldPools) held += pool.getUsage().getUsed();
    // G1 never shrinks below the minimum heap (-Xms): what lies under it is not free to return
    periodicCollections(muchFree(memory.getHeapMemoryUsage().getCommitted(), Math.max(held, minHeapBytes)));
  }

  boolean muchFree(long committed, long held) {
    long free = committed - held;
    return free >= returnAtLeastBytes && free * PERCENT > committed * (long) returnAboveFreePercent;
  }

  void periodicCollections(boolean on) {
    String wanted = on ? interval : OFF;
    if (!wanted.equals(current)) {
      hotspot.setVMOption(PERIODIC, wanted);
      current = wanted;
    }
  }

  private static void setIfDefault(HotSpotDiagnosticMXBean hotspot, String flag, String value) {
    try {
      if (isDefault(hotspot, flag)) hotspot.setVMOption(flag, value);
    } catch (IllegalArgumentException e) {
      log.warn("heap return: {} = {} not set: {}", flag, value, e.getMessage());
    }
  }

  private static boolean isDefault(HotSpotDiagnosticMXBean hotspot, String flag) {
    VMOption option = hotspot.getVMOption(flag);
    return option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable();
  }

  private static String optionValue(HotSpotDiagnosticMXBean hotspot, String flag) {
    try {
      return hotspot.getVMOption(flag).getValue();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
