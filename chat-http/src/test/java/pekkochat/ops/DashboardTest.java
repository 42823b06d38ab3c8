package pekkochat.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.repo.RepoFiles;
import pekkochat.testkit.rest.Metrics;

/** The Grafana dashboard parses, and every metric its queries use is in docs/metrics.md (issue 12, acceptance 3). */
class DashboardTest {
  /** A metric name in PromQL: ours and the JVM's, with a histogram's or summary's suffix. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:chat|jvm|process)_[a-z0-9_]+)\\b");

  @Test
  void everyQueriedMetricIsCatalogued() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(RepoFiles.root().resolve("deploy/grafana/dashboards/pekko-chat.json").toFile());
    Map<String, String> catalogue = Metrics.catalogue(RepoFiles.root().resolve("docs/metrics.md"));
    Set<String> used = new TreeSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.path("expr").asText());
        while (m.find()) used.add(m.group(1));
        queries++;
      }
    }
    assertTrue(queries >= 10, "the dashboard has its queries, found " + queries);
    for (String metric : used) {
      String base = metric.replaceFirst("_(bucket|count|sum)$", "");
      assertTrue(catalogue.containsKey(metric) || catalogue.containsKey(base),
          () -> metric + " is queried by the dashboard but not in docs/metrics.md");
      if (metric.endsWith("_bucket")) {
        assertTrue("histogram".equals(catalogue.get(base)), metric + ": quantiles come from histograms only");
      }
    }
    for (String needed : Set.of("chat_ws_open", "chat_delivery_latency_seconds_bucket", "chat_persist_latency_seconds_bucket",
        "chat_journal_failures_total", "chat_shards", "chat_ws_closed_total", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum")) {
      assertTrue(used.contains(needed), "the dashboard shows " + needed);
    }
  }
}
