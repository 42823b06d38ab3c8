package pekkochat.bench.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario a: N idle sockets, each joined to a room of {@code a.room-size}. Measures the
 * server's RSS and live heap (after a forced GC) per socket against a baseline taken just before
 * connecting, the connect and join wall times, the server's CPU while the sockets sit idle, and
 * saves class histograms before and after (the difference per socket goes in the JSON line).
 * With {@code a.hold} it then holds them, pinging every socket before the node's 90 s idle
 * close, and checks {@code /readyz} every second.
 */
final class IdleScenario {

  private static final long KEEPALIVE_NANOS = 45_000_000_000L;
  private static final int HISTOGRAM_TOP = 25;

  private final Options o;
  private final Path dir;

  IdleScenario(Options o, Path dir) {
    this.o = o;
    this.dir = dir;
  }

  Map<String, Object> run() throws Exception {
    int sockets = o.integer("a.sockets");
    int rooms = Math.max(1, sockets / o.integer("a.room-size"));
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("scenario", "a");
    f.put("step", "a");
    f.put("sockets", sockets);
    f.put("rooms", rooms);
    try (Target target = Target.open(o, dir, sockets)) {
      target.checkFileLimits(sockets);
      Jcmd jcmd = new Jcmd(target.server().pid());
      String server = target.server().name();
      try (Fleet fleet = new Fleet(target, o, sockets, rooms)) {
        fleet.signIn("benchau");
        fleet.createRooms("bench-a-" + System.currentTimeMillis());
        long heapBefore = jcmd.liveHeapKb();
        var histogramBefore = jcmd.classHistogram(dir.resolve("class-histogram-before.txt"));
        long rssBefore = target.server().sample().rssKb();
        f.put("connect_s", Samples.round(fleet.connect(), 2));
        f.put("join_s", Samples.round(fleet.join(), 2));
        int open = fleet.traffic.joined.get();
        f.put("joined", open);
        Thread.sleep((long) (o.decimal("a.settle") * 1000));
        Samples idle = new Samples(target.procs);
        idle.start();
        Thread.sleep((long) (o.decimal("a.window") * 1000));
        idle.end();
        long rssAfter = idle.rssKb(server);
        long heapAfter = jcmd.liveHeapKb();
        var histogramAfter = jcmd.classHistogram(dir.resolve("class-histogram-after.txt"));
        f.put("idle_window_s", Samples.round(idle.seconds(), 1));
        f.put("server_idle_cores", Samples.round(idle.cores(server), 4));
        f.put("generator_idle_cores", Samples.round(idle.cores("generator"), 4));
        f.put("server_rss_mb", Samples.round(rssAfter / 1024.0, 1));
        f.put("rss_kb_per_socket", Samples.round((rssAfter - rssBefore) / (double) Math.max(1, open), 2));
        f.put("live_heap_mb", Samples.round(heapAfter / 1024.0, 1));
        f.put("live_heap_kb_per_socket", Samples.round((heapAfter - heapBefore) / (double) Math.max(1, open), 2));
        f.put("generator_rss_mb", Samples.round(idle.rssKb("generator") / 1024.0, 1));
        f.put("processes", idle.perProcess());
        f.put("class_histogram", dir.resolve("class-histogram-after.txt").toString());
        f.put("per_socket_classes", Jcmd.perSocket(histogramBefore, histogramAfter, Math.max(1, open), HISTOGRAM_TOP));
        if (o.integer("a.hold") > 0) f.putAll(hold(fleet, target, o.integer("a.hold")));
        long t = System.nanoTime();
        f.put("closed_cleanly", fleet.closeAll(60_000));
        f.put("close_s", Samples.round((System.nanoTime() - t) / 1e9, 2));
        f.put("socket_endings", fleet.traffic.endings());
      }
    }
    return f;
  }

  private static Map<String, Object> hold(Fleet fleet, Target target, int seconds) throws InterruptedException {
    int notReady = 0;
    long start = System.nanoTime();
    long lastPing = start;
    fleet.keepAlive();
    while (System.nanoTime() - start < seconds * 1_000_000_000L) {
      if (!target.ready()) notReady++;
      if (System.nanoTime() - lastPing > KEEPALIVE_NANOS) {
        fleet.keepAlive();
        lastPing = System.nanoTime();
      }
      Thread.sleep(1000);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("held_s", seconds);
    f.put("open_after_hold", fleet.traffic.opened.get() - fleet.traffic.gone.get());
    f.put("readyz_failures_during_hold", notReady);
    return f;
  }
}
