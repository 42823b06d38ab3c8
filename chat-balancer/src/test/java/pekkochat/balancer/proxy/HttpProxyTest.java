package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.testkit.node.Ports;

/** HTTP proxying against in-test backends: turns, streaming bodies, private paths, the retry. */
class HttpProxyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** checks so rare that a stopped backend stays "up" for the whole test, unless a connection fails */
  private static final String NO_CHECKS_DURING_TEST = "balancer.health.interval = 10m";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsTakeTurnsAndBodiesStreamBothWays() throws Exception {
    try (EchoBackend a = new EchoBackend("a", Ports.free()); EchoBackend b = new EchoBackend("b", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(a.address(), b.address()), "")) {
      balancer.awaitUp(List.of(a.address(), b.address()));
      Map<String, Integer> served = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response = get(balancer.http("/api/whoami?i=" + i));
        assertEquals(200, response.statusCode());
        JsonNode seen = JSON.readTree(response.body());
        assertEquals("i=" + i, seen.get("query").asText());
        assertEquals("127.0.0.1", seen.get("headers").get("x-forwarded-for").asText());
        assertEquals(URI.create(balancer.http("")).getAuthority(), seen.get("headers").get("host").asText());
        served.merge(seen.get("backend").asText(), 1, Integer::sum);
      }
      assertEquals(Map.of("a", 3, "b", 3), served);

      byte[] body = new byte[3 * 1024 * 1024];
      new Random(42).nextBytes(body);
      HttpResponse<byte[]> echoed = http.send(
          HttpRequest.newBuilder(URI.create(balancer.http("/api/echo"))).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, echoed.statusCode());
      assertArrayEquals(body, echoed.body());

      HttpResponse<String> metrics = get(balancer.http("/metrics"));
      assertEquals(404, metrics.statusCode());
      assertTrue(metrics.body().contains("not served through the balancer"), metrics.body());
      // the balancer's namespace is its own, never a node's
      assertEquals(404, get(balancer.http("/balancer/whoami")).statusCode());
      HttpResponse<String> own = get(balancer.http("/balancer/metrics"));
      assertEquals(200, own.statusCode());
      assertTrue(own.body().contains("balancer_backend_open_sockets{backend=\"" + a.address() + "\"}"), own.body());
      assertTrue(own.body().contains("balancer_backend_proxied_total{backend=\"" + b.address() + "\"}"), own.body());
    }
  }

  @Test
  void anIdempotentRequestIsRetriedOnAnotherBackendWhenTheFirstCannotBeReached() throws Exception {
    EchoBackend gone = new EchoBackend("gone", Ports.free());
    try (EchoBackend a = new EchoBackend("a", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(gone.address(), a.address()), NO_CHECKS_DURING_TEST)) {
      balancer.awaitUp(List.of(gone.address(), a.address()));
      gone.close();
      // the first turn is gone's: the GET fails to connect there and is sent to a instead
      HttpResponse<String> response = get(balancer.http("/api/whoami"));
      assertEquals(200, response.statusCode());
      assertEquals("a", JSON.readTree(response.body()).get("backend").asText());
      assertEquals("down", balancer.backend(gone.address()).get("health").asText());
      assertTrue(balancer.backend(gone.address()).get("lastCheck").get("detail").asText().startsWith("connection failed"));
    }
  }

  @Test
  void aNonIdempotentRequestIsNotRetried() throws Exception {
    EchoBackend gone = new EchoBackend("gone", Ports.free());
    try (EchoBackend a = new EchoBackend("a", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(gone.address(), a.address()), NO_CHECKS_DURING_TEST)) {
      balancer.awaitUp(List.of(gone.address(), a.address()));
      gone.close();
      HttpRequest post = HttpRequest.newBuilder(URI.create(balancer.http("/api/echo"))).POST(HttpRequest.BodyPublishers.ofString("x")).build();
      assertEquals(502, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
      // gone is out now, so the same POST goes to a
      HttpResponse<String> second = http.send(post, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, second.statusCode());
      assertEquals("x", second.body());
    }
  }
}
