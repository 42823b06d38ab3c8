package pekkochat.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool end to end, small: it starts the real node jar, registers users, opens sockets
 * from several 127.0.0.x addresses, and must count every delivery of a light fan-out and every
 * idle socket. The figures themselves are not judged (benchmarks never fail a build on a time).
 */
class ChatBenchIT {

  private static final String NODE_JAR = System.getProperty("chat.node.jar", "../chat-http/target/chat-node.jar");

  @TempDir Path dir;

  private Scenarios scenarios(String... flags) {
    assertTrue(Files.exists(Path.of(NODE_JAR)), NODE_JAR + " is built by chat-http: build it first (mvn -B verify builds it before chat-bench)");
    String[] args = new String[flags.length + 2];
    args[0] = "--node-jar";
    args[1] = NODE_JAR;
    System.arraycopy(flags, 0, args, 2, flags.length);
    return new Scenarios(new Options(args), dir);
  }

  @Test
  void fanOutCountsEveryDeliveryAndTheServersCpu() throws Exception {
    List<Map<String, Object>> steps = scenarios("--b.sockets", "120", "--b.rooms", "3", "--b.senders", "3", "--b.rate", "30",
        "--b.warmup", "1", "--b.window", "3", "--sockets-per-user", "20", "--source-addresses", "3").run("b", 1);
    Map<String, Object> b = steps.get(0);
    assertEquals(90, b.get("sent"));
    assertEquals(90, b.get("acked"), "every send acked: " + b);
    assertEquals(100.0, b.get("delivered_pct"), "each message reached all 40 sockets of its room: " + b);
    assertTrue((Double) b.get("p50_ms") > 0 && (Double) b.get("server_cpu_s") > 0, b.toString());
    assertEquals(Map.of("users", 6, "opened", 120, "joined", 120),
        Map.of("users", ((Map<?, ?>) b.get("setup")).get("users"), "opened", ((Map<?, ?>) b.get("setup")).get("opened"),
            "joined", ((Map<?, ?>) b.get("setup")).get("joined")));
  }

  @Test
  void idleSocketsAreHeldMeasuredAndClosedCleanly() throws Exception {
    Map<String, Object> a = scenarios("--a.sockets", "300", "--a.room-size", "50", "--a.settle", "1", "--a.window", "2",
        "--source-addresses", "4").run("a", 1).get(0);
    assertEquals(300, a.get("joined"), a.toString());
    assertEquals(300L, a.get("closed_cleanly"), a.toString());
    assertTrue((Double) a.get("live_heap_kb_per_socket") > 0, a.toString());
    assertTrue(Files.size(Path.of((String) a.get("class_histogram"))) > 0);
  }
}
