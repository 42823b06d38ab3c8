package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.Ports;
import pekkochat.balancer.support.Waits;
import pekkochat.balancer.support.WsClient;

/** A backend whose /readyz says 503 (draining) gets no new sockets within 5 s, and is used again once ready. */
class DrainingBackendTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private static String backendOf(WsClient client) throws Exception {
    client.send("whoami");
    return JSON.readTree(client.nextText(Duration.ofSeconds(5))).get("backend").asText();
  }

  @Test
  void aDrainingBackendIsSkippedAndARecoveredOneUsedAgain() throws Exception {
    List<WsClient> clients = new ArrayList<>();
    try (EchoBackend draining = new EchoBackend("draining", Ports.free()); EchoBackend other = new EchoBackend("other", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(draining.address(), other.address()), "")) {
      balancer.awaitUp(List.of(draining.address(), other.address()));
      draining.setReady(false);
      long since = System.nanoTime();
      Waits.until(WITHIN, "draining backend down", () -> balancer.backend(draining.address()).get("health").asText().equals("down"));
      assertTrue(System.nanoTime() - since < WITHIN.toNanos());
      for (int i = 0; i < 4; i++) {
        WsClient client = WsClient.connect(balancer.ws("/ws?token=good"), Map.of());
        clients.add(client);
        assertEquals("other", backendOf(client));
      }
      draining.setReady(true);
      Waits.until(WITHIN, "recovered backend up", () -> balancer.backend(draining.address()).get("health").asText().equals("up"));
      WsClient client = WsClient.connect(balancer.ws("/ws?token=good"), Map.of());
      clients.add(client);
      assertEquals("draining", backendOf(client));
    } finally {
      clients.forEach(WsClient::close);
    }
  }
}
