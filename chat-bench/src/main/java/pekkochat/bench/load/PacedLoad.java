package pekkochat.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One paced step of sends: message {@code k} leaves at {@code t0 + k / rate} from sender
 * {@code k % senders} (socket {@code g = k % senders}), so each sender sends every
 * {@code senders / rate} seconds, under the node's per-socket limit when that is ≥ 0.1 s. The
 * first {@code warmup} seconds are not measured; the server's CPU is sampled over the measured
 * window only; afterwards the step waits (bounded by {@code drain}) for the last deliveries.
 */
final class PacedLoad {

  record Plan(String tag, int senders, double rate, double warmupS, double windowS, double drainS, int roomSize) {}

  private PacedLoad() {}

  static Map<String, Object> run(Fleet fleet, Target target, Plan plan, String text) throws InterruptedException {
    int warm = (int) Math.round(plan.rate() * plan.warmupS());
    int measured = (int) Math.round(plan.rate() * plan.windowS());
    int total = warm + measured;
    long periodNanos = (long) (1e9 / plan.rate());
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long windowStart = t0 + warm * periodNanos;
    long windowEnd = windowStart + measured * periodNanos;
    Step step = new Step(plan.tag(), warm, total, fleet.ioThreads(), windowStart, windowEnd);
    fleet.traffic.measure(step);
    Samples samples = new Samples(target.procs);
    int sendFailed = 0;
    long maxLagNanos = 0;
    for (int k = 0; k < total; k++) {
      long due = t0 + k * periodNanos;
      for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
      if (k == warm) samples.start();
      long now = System.nanoTime();
      if (k >= warm) maxLagNanos = Math.max(maxLagNanos, now - due);
      int g = k % plan.senders();
      String id = step.clientId(k, now);
      String frame = "{\"type\":\"send\",\"room\":\"" + fleet.room(g) + "\",\"clientId\":\"" + id + "\",\"ref\":\"" + id
          + "\",\"text\":\"" + text + "\"}";
      if (fleet.conn(g) == null || !fleet.conn(g).sendText(frame)) sendFailed++;
    }
    for (long wait; (wait = windowEnd - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
    samples.end();
    long expected = (long) measured * plan.roomSize();
    long drainDeadline = System.nanoTime() + (long) (plan.drainS() * 1e9);
    Fleet.awaitCount(() -> step.answered(total) >= measured && step.measuredDeliveries(total, false) >= expected, drainDeadline);
    fleet.traffic.measure(null);
    int last = step.lastUnanswered(total);
    double unansweredWaitMs = last < 0 ? 0 : (System.nanoTime() - (t0 + last * periodNanos)) / 1e6;
    Map<String, Object> f = figures(plan, step, samples, measured, total, sendFailed, maxLagNanos, target.server().name());
    f.put("unanswered_waited_at_least_ms", Samples.round(unansweredWaitMs, 0));
    // the longest any measured send waited for its ack or refusal (a lower bound when some got neither)
    f.put("max_wait_ms", Samples.round(Math.max(step.maxReplyNanos.get() / 1e6, unansweredWaitMs), 1));
    return f;
  }

  private static Map<String, Object> figures(Plan plan, Step step, Samples samples, int measured, int total,
      int sendFailed, long maxLagNanos, String server) {
    Histogram latency = Histogram.merge(step.latency);
    Histogram ack = Histogram.merge(step.ackWait);
    int acked = step.count(total, Step.ACKED);
    int refused = step.count(total, Step.REFUSED);
    long deliveries = step.measuredDeliveries(total, false);
    long ackedDeliveries = step.measuredDeliveries(total, true);
    long windowDeliveries = step.deliveriesInWindow.sum();
    double serverCpu = samples.cpuSeconds(server);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("step", plan.tag());
    f.put("rate", plan.rate());
    f.put("senders", plan.senders());
    f.put("room_size", plan.roomSize());
    f.put("window_s", Samples.round(samples.seconds(), 2));
    f.put("sent", measured);
    f.put("send_failed", sendFailed);
    f.put("acked", acked);
    f.put("refused", refused);
    f.put("unanswered", measured - acked - refused);
    f.put("errors", step.errorCounts());
    f.put("delivered_pct", Samples.round(100.0 * deliveries / ((double) measured * plan.roomSize()), 3));
    f.put("accepted_delivered_pct", acked == 0 ? Double.NaN
        : Samples.round(100.0 * ackedDeliveries / ((double) acked * plan.roomSize()), 3));
    f.put("p50_ms", Samples.round(latency.quantileMs(0.50), 2));
    f.put("p99_ms", Samples.round(latency.quantileMs(0.99), 2));
    f.put("p999_ms", Samples.round(latency.quantileMs(0.999), 2));
    f.put("max_ms", Samples.round(latency.maxMs(), 2));
    f.put("ack_p50_ms", Samples.round(ack.quantileMs(0.50), 2));
    f.put("ack_p99_ms", Samples.round(ack.quantileMs(0.99), 2));
    f.put("max_ack_wait_ms", Samples.round(ack.maxMs(), 1));
    f.put("max_reply_wait_ms", Samples.round(step.maxReplyNanos.get() / 1e6, 1));
    f.put("deliveries_per_s", Samples.round(windowDeliveries / samples.seconds(), 0));
    f.put("server_cpu_s", Samples.round(serverCpu, 2));
    f.put("server_cores", Samples.round(samples.cores(server), 3));
    f.put("server_cpu_s_per_100k", windowDeliveries == 0 ? Double.NaN : Samples.round(serverCpu * 1e5 / windowDeliveries, 3));
    // every attached process together (all nodes of a cluster; balancer and node)
    double allCpu = samples.cpuSecondsOfServers();
    f.put("servers_cpu_s_per_100k", windowDeliveries == 0 ? Double.NaN : Samples.round(allCpu * 1e5 / windowDeliveries, 3));
    f.put("server_rss_mb", Samples.round(samples.rssKb(server) / 1024.0, 1));
    f.put("generator_cores", Samples.round(samples.cores("generator"), 3));
    f.put("generator_max_send_lag_ms", Samples.round(maxLagNanos / 1e6, 2));
    f.put("stale_reads", step.stale.sum());
    f.put("processes", samples.perProcess());
    return f;
  }
}
