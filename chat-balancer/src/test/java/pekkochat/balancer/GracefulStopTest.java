package pekkochat.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.testkit.node.Ports;
import pekkochat.testkit.ws.WsClient;

/** The graceful stop: no new connections, open sockets go on until the drain timeout, then closing + close. */
class GracefulStopTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DRAIN = Duration.ofSeconds(2);

  @Test
  void openSocketsMayFinishThenGetADrainingClosingFrameAndAClose() throws Exception {
    try (EchoBackend backend = new EchoBackend("a", Ports.free());
        InProcessBalancer balancer = new InProcessBalancer(List.of(backend.address()),
            "balancer.shutdown.drain-timeout = 2s\nbalancer.shutdown.close-grace = 1s")) {
      balancer.awaitUp(List.of(backend.address()));
      WsClient finishing = WsClient.connect(balancer.ws("/ws?token=good"), Map.of());
      WsClient lingering = WsClient.connect(balancer.ws("/ws?token=good"), Map.of());

      long start = System.nanoTime();
      CompletableFuture<Void> stop = CompletableFuture.runAsync(balancer::stopGracefully);
      Thread.sleep(DRAIN.toMillis() / 4);
      // still proxied during the drain
      lingering.send("still here");
      assertEquals("still here", lingering.nextText(Duration.ofSeconds(2)));
      // no new connections
      assertThrows(RuntimeException.class, () -> WsClient.connect(balancer.ws("/ws?token=good"), Map.of()));
      finishing.close();

      JsonNode closing = JSON.readTree(lingering.nextText(DRAIN.multipliedBy(3)));
      long drainedAfter = System.nanoTime() - start;
      assertEquals("closing", closing.get("type").asText());
      assertEquals("draining", closing.get("reason").asText());
      assertEquals("the balancer is stopping; reconnect", closing.get("message").asText());
      assertTrue(drainedAfter >= DRAIN.toNanos() * 9 / 10, "closed after " + drainedAfter / 1_000_000 + " ms");
      lingering.closed().orTimeout(5, TimeUnit.SECONDS).join();
      stop.orTimeout(30, TimeUnit.SECONDS).join();
    }
  }
}
