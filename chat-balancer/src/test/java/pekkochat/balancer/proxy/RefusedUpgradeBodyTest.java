package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.RawWsClient;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.node.Ports;

/** A refused upgrade reaches the client with the node's status, content type and JSON body. */
class RefusedUpgradeBodyTest {

  @Test
  void aRefusedUpgradeKeepsItsStatusAndItsJsonBody() {
    try (EchoBackend backend = new EchoBackend("a", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(backend.address()), "")) {
      balancer.awaitUp(List.of(backend.address()));
      try (RawWsClient unauthorized = RawWsClient.upgrade(balancer.port(), "/ws?token=bad", Map.of(), 0)) {
        assertEquals(401, unauthorized.answer().status());
        assertEquals("application/json", unauthorized.answer().headers().get("content-type"));
        assertEquals("{\"error\":{\"code\":\"unauthorized\"}}", unauthorized.answer().bodyText());
      }
      try (RawWsClient forbidden = RawWsClient.upgrade(
          balancer.port(), "/ws?token=good", Map.of("Origin", EchoBackend.FOREIGN_ORIGIN), 0)) {
        assertEquals(403, forbidden.answer().status());
        assertEquals("{\"error\":{\"code\":\"forbidden\"}}", forbidden.answer().bodyText());
      }
      Waits.until(Duration.ofSeconds(5), "refused upgrades hold no socket", () -> balancer.status().get("openSockets").asInt() == 0);
    }
  }
}
