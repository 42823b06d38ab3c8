package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.node.Ports;
import pekkochat.testkit.ws.WsClient;

/** A backend whose /readyz says 503 (draining) gets no new sockets within 5 s, and is used again once ready. */
class DrainingBackendTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WITHIN = Duration.ofSeconds(5);
  /** closed in reverse order: sockets before the balancer before the backends */
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private String backendOfNewSocket(InProcessBalancer balancer) throws Exception {
    WsClient client = closing(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()));
    client.send("whoami");
    return JSON.readTree(client.nextText(Duration.ofSeconds(5))).get("backend").asText();
  }

  @Test
  void aDrainingBackendIsSkippedAndARecoveredOneUsedAgain() throws Exception {
    EchoBackend draining = closing(new EchoBackend("draining", Ports.free()));
    EchoBackend other = closing(new EchoBackend("other", Ports.free()));
    InProcessBalancer balancer = closing(new InProcessBalancer(List.of(draining.address(), other.address()), ""));
    balancer.awaitUp(List.of(draining.address(), other.address()));

    draining.setReady(false);
    long since = System.nanoTime();
    Waits.until(WITHIN, "draining backend down", () -> balancer.backend(draining.address()).get("health").asText().equals("down"));
    assertTrue(System.nanoTime() - since < WITHIN.toNanos());
    for (int i = 0; i < 4; i++) assertEquals("other", backendOfNewSocket(balancer));

    draining.setReady(true);
    Waits.until(WITHIN, "recovered backend up", () -> balancer.backend(draining.address()).get("health").asText().equals("up"));
    assertEquals("draining", backendOfNewSocket(balancer));
  }
}
