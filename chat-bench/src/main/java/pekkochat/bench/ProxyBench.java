package pekkochat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The balancer's cost, measured: starts one chat node and one balancer in front of it (separate
 * processes, loopback), then runs the same WebSocket loads straight to the node and through the
 * balancer, alternating, and prints both side by side: chat messages (send, ack, fan-out to every
 * socket in the room) and bare ping/pong round trips. Not a test: it asserts nothing.
 *
 * <p>{@code java -jar chat-bench/target/chat-bench.jar} from the project root; system properties
 * {@code bench.sockets} (10), {@code bench.messages} (300 per socket), {@code bench.pings} (2000 per
 * socket), {@code bench.rounds} (2),
 * {@code bench.node.jar}, {@code bench.balancer.jar}.
 */
public final class ProxyBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "bench-jwt-secret-0123456789abcdefghij";
  private static final Duration PHASE_LIMIT = Duration.ofSeconds(120);

  private ProxyBench() {}

  public static void main(String[] args) throws Exception {
    int sockets = Integer.getInteger("bench.sockets", 10);
    int messages = Integer.getInteger("bench.messages", 300);
    int rounds = Integer.getInteger("bench.rounds", 2);
    int pings = Integer.getInteger("bench.pings", 2000);
    String nodeJar = System.getProperty("bench.node.jar", "chat-http/target/chat-node.jar");
    String balancerJar = System.getProperty("bench.balancer.jar", "chat-balancer/target/chat-balancer.jar");
    Path dir = Files.createTempDirectory("chat-bench");

    try (Processes processes = new Processes()) {
      Runtime.getRuntime().addShutdownHook(new Thread(processes::close));
      int nodePort = Processes.freePort();
      int balancerPort = Processes.freePort();
      processes.start(nodeJar,
          // the per-socket send rate limit would cap the load, not the proxy: lift it for the bench
          List.of("-Xmx512m", "-Dchat.ws.rate-limit.burst=1000000", "-Dchat.ws.rate-limit.per-second=1000000"),
          Map.of("CHAT_HTTP_PORT", Integer.toString(nodePort), "CHAT_CLUSTER_PORT", Integer.toString(Processes.freePort()),
              "CHAT_DATA_DIR", dir.resolve("node").toString(), "CHAT_JWT_SECRET", SECRET),
          dir.resolve("node.log"), "http://127.0.0.1:" + nodePort + "/readyz");
      processes.start(balancerJar, List.of("-Xmx256m"),
          Map.of("BALANCER_PORT", Integer.toString(balancerPort), "BALANCER_BACKENDS", "127.0.0.1:" + nodePort),
          dir.resolve("balancer.log"), "http://127.0.0.1:" + balancerPort + "/balancer/status");
      waitUntilBalancerSeesNode(balancerPort);

      String node = "http://127.0.0.1:" + nodePort;
      String token = post(node + "/api/register", null, "{\"username\":\"bench\",\"password\":\"bench-password\"}").get("token").asText();
      String direct = "ws://127.0.0.1:" + nodePort + "/ws?token=" + token;
      String proxied = "ws://127.0.0.1:" + balancerPort + "/ws?token=" + token;

      System.out.printf("warming up (%d sockets x %d messages each way)%n", sockets, messages / 5);
      LoadRun.run("warm-direct", direct, room(node, token), sockets, messages / 5, PHASE_LIMIT);
      LoadRun.run("warm-proxied", proxied, room(node, token), sockets, messages / 5, PHASE_LIMIT);

      System.out.printf("%n%d sockets in one room, %d messages each, next send after the ack; each message goes to all %d sockets%n",
          sockets, messages, sockets);
      System.out.printf("%-16s %9s %9s %9s %9s | %9s %9s %9s | %10s %12s %6s%n",
          "path", "ack p50", "ack p90", "ack p99", "ack max", "dlv p50", "dlv p99", "dlv max", "acked/s", "delivered/s", "lost");
      for (int round = 1; round <= rounds; round++) {
        print(LoadRun.run("direct-" + round, direct, room(node, token), sockets, messages, PHASE_LIMIT));
        print(LoadRun.run("balancer-" + round, proxied, room(node, token), sockets, messages, PHASE_LIMIT));
      }

      System.out.printf("%n%d sockets, %d pings each, next ping after the pong (no journal, no room: the proxy alone)%n", sockets, pings);
      System.out.printf("%-16s %9s %9s %9s %9s | %10s%n", "path", "rtt p50", "rtt p90", "rtt p99", "rtt max", "pings/s");
      PingRun.run("warm-direct", direct, sockets, pings / 5, PHASE_LIMIT);
      PingRun.run("warm-proxied", proxied, sockets, pings / 5, PHASE_LIMIT);
      for (int round = 1; round <= rounds; round++) {
        print(PingRun.run("direct-" + round, direct, sockets, pings, PHASE_LIMIT));
        print(PingRun.run("balancer-" + round, proxied, sockets, pings, PHASE_LIMIT));
      }
      System.out.println("(latencies in ms; processes' logs in " + dir + ")");
    }
  }

  private static void print(PingRun.Result r) {
    System.out.printf("%-16s %9.2f %9.2f %9.2f %9.2f | %10.0f%n", r.label(), r.rtt().p50(), r.rtt().p90(), r.rtt().p99(), r.rtt().max(), r.perSecond());
  }

  private static void print(LoadRun.Result r) {
    System.out.printf("%-16s %9.2f %9.2f %9.2f %9.2f | %9.2f %9.2f %9.2f | %10.0f %12.0f %6d%n",
        r.label(), r.ack().p50(), r.ack().p90(), r.ack().p99(), r.ack().max(),
        r.delivery().p50(), r.delivery().p99(), r.delivery().max(), r.ackedPerSecond(), r.deliveredPerSecond(), r.lost());
  }

  /** A fresh public room per phase, so that no phase catches up on another's messages. */
  private static String room(String node, String token) throws Exception {
    return post(node + "/api/rooms", token, "{\"name\":\"bench-" + System.nanoTime() + "\",\"visibility\":\"public\"}").get("id").asText();
  }

  private static void waitUntilBalancerSeesNode(int balancerPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 100; i++) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancerPort + "/balancer/status")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (JSON.readTree(body).get("backends").get(0).get("health").asText().equals("up")) return;
      Thread.sleep(100);
    }
    throw new IllegalStateException("the balancer never saw the node up");
  }

  private static JsonNode post(String url, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    return JSON.readTree(response.body());
  }
}
