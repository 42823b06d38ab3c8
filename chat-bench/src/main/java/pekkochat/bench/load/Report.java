package pekkochat.bench.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines on stdout (and appended to {@code --out}), one per measured step and run; at the
 * end a table of the medians over the runs.
 */
final class Report {

  private static final List<String> IDLE = List.of("sockets", "connect_s", "join_s", "rss_kb_per_socket",
      "live_heap_kb_per_socket", "server_idle_cores", "generator_idle_cores", "closed_cleanly");
  private static final List<String> LOAD = List.of("rate", "senders", "delivered_pct", "accepted_delivered_pct", "p50_ms",
      "p99_ms", "max_ack_wait_ms", "max_wait_ms", "unanswered", "unavailable", "rate_limited", "deliveries_per_s",
      "server_cpu_s_per_100k", "server_cores", "generator_cores");

  private final Path out;
  private final Map<String, List<Map<String, Object>>> byStep = new LinkedHashMap<>();

  Report(String outFile) {
    this.out = outFile.isBlank() ? null : Path.of(outFile);
  }

  void add(Map<String, Object> figures) throws IOException {
    Object errors = figures.get("errors");
    if (errors instanceof Map<?, ?> e) {
      figures.put("unavailable", e.containsKey("unavailable") ? e.get("unavailable") : 0L);
      figures.put("rate_limited", e.containsKey("rate_limited") ? e.get("rate_limited") : 0L);
    }
    String line = json(figures);
    System.out.println(line);
    System.out.flush();
    if (out != null) Files.writeString(out, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    byStep.computeIfAbsent((String) figures.get("step"), s -> new ArrayList<>()).add(figures);
  }

  /** The readable table: per step, the median of each figure over the runs (and how many runs). */
  void printTable() {
    printRows(byStep.keySet().stream().filter(k -> k.startsWith("a")).toList(), IDLE);
    printRows(byStep.keySet().stream().filter(k -> !k.startsWith("a")).toList(), LOAD);
  }

  private void printRows(List<String> steps, List<String> columns) {
    if (steps.isEmpty()) return;
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("step", "runs"));
    head.addAll(columns);
    rows.add(head);
    for (String step : steps) {
      List<Map<String, Object>> runs = byStep.get(step);
      List<String> row = new ArrayList<>(List.of(step, Integer.toString(runs.size())));
      for (String c : columns) row.add(format(median(runs, c)));
      rows.add(row);
    }
    int[] width = new int[head.size()];
    for (List<String> row : rows) for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
    System.out.println();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) line.append(String.format(i == 0 ? "%-" + width[i] + "s" : " %" + width[i] + "s", row.get(i)));
      System.out.println(line);
    }
  }

  private static double median(List<Map<String, Object>> runs, String key) {
    double[] v = runs.stream().map(r -> r.get(key)).filter(x -> x instanceof Number).mapToDouble(x -> ((Number) x).doubleValue())
        .filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) return Double.NaN;
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String format(double v) {
    if (Double.isNaN(v)) return "-";
    if (v == Math.rint(v) && Math.abs(v) < 1e12) return Long.toString((long) v);
    return Math.abs(v) >= 100 ? String.format("%.1f", v) : String.format("%.3f", v);
  }

  private static String json(Map<String, Object> figures) {
    try {
      return Rest.JSON.writeValueAsString(figures);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("figures not writable as JSON", e);
    }
  }
}
