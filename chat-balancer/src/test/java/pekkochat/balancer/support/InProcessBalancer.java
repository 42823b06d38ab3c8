package pekkochat.balancer.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import pekkochat.balancer.Balancer;
import pekkochat.balancer.BalancerSettings;
import pekkochat.testkit.node.Ports;

/** The balancer under test, in the test's JVM, on a free loopback port. */
public final class InProcessBalancer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ActorSystem<Void> system;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  /** {@code overrides}: HOCON lines applied over application.conf (e.g. a faster health interval). */
  public InProcessBalancer(List<String> backends, String overrides) {
    this.port = Ports.free();
    Config config = ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseMap(Map.of(
            "balancer.http.port", port,
            "balancer.backends", String.join(",", backends),
            // the test JVM must outlive the balancer's CoordinatedShutdown
            "pekko.coordinated-shutdown.exit-jvm", "off")))
        .withFallback(ConfigFactory.load());
    this.system = ActorSystem.create(Balancer.create(BalancerSettings.fromConfig(config)), "balancer", config);
    Waits.until(Duration.ofSeconds(20), "balancer up", () -> statusOrNull() != null);
  }

  public int port() {
    return port;
  }

  public String ws(String pathAndQuery) {
    return "ws://127.0.0.1:" + port + pathAndQuery;
  }

  public String http(String pathAndQuery) {
    return "http://127.0.0.1:" + port + pathAndQuery;
  }

  /** {@code /balancer/status} as JSON. */
  public JsonNode status() {
    JsonNode status = statusOrNull();
    if (status == null) throw new AssertionError("no /balancer/status");
    return status;
  }

  public JsonNode backend(String address) {
    for (JsonNode b : status().get("backends")) {
      if (b.get("address").asText().equals(address)) return b;
    }
    throw new AssertionError("no backend " + address + " in " + status());
  }

  /** Waits until every listed backend reports "up". */
  public void awaitUp(List<String> addresses) {
    Waits.until(Duration.ofSeconds(10), "backends up " + addresses,
        () -> addresses.stream().allMatch(a -> backend(a).get("health").asText().equals("up")));
  }

  private JsonNode statusOrNull() {
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(http("/balancer/status"))).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Runs the graceful stop as SIGTERM would, and waits for it to finish. */
  public void stopGracefully() {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason())
        .toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
