package pekkochat.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU and RSS of the server's processes and of the generator itself, at the two ends of a window. */
final class Samples {

  private final List<Proc> procs;
  private final Map<String, Proc.Sample> start = new LinkedHashMap<>();
  private final Map<String, Proc.Sample> end = new LinkedHashMap<>();

  Samples(List<Proc> serverProcs) {
    this.procs = new java.util.ArrayList<>(serverProcs);
    this.procs.add(Proc.self());
  }

  void start() {
    for (Proc p : procs) start.put(p.name(), p.sample());
  }

  void end() {
    for (Proc p : procs) end.put(p.name(), p.sample());
  }

  double cpuSeconds(String name) {
    return end.get(name).cpuSeconds() - start.get(name).cpuSeconds();
  }

  /** CPU seconds of every server process together (not the generator). */
  double cpuSecondsOfServers() {
    double sum = 0;
    for (Proc p : procs) if (!p.name().equals(Proc.self().name())) sum += cpuSeconds(p.name());
    return sum;
  }

  double cores(String name) {
    return Proc.cores(start.get(name), end.get(name));
  }

  long rssKb(String name) {
    return end.get(name).rssKb();
  }

  double seconds() {
    Proc.Sample a = start.values().iterator().next();
    Proc.Sample b = end.values().iterator().next();
    return (b.nanos() - a.nanos()) / 1e9;
  }

  /** Each process's figures, for the JSON line: {name: {cpu_s, cores, rss_mb}}. */
  Map<String, Object> perProcess() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Proc p : procs) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("pid", p.pid());
      f.put("cpu_s", round(cpuSeconds(p.name()), 3));
      f.put("cores", round(cores(p.name()), 4));
      f.put("rss_mb", round(rssKb(p.name()) / 1024.0, 1));
      out.put(p.name(), f);
    }
    return out;
  }

  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return v;
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
