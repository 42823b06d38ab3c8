package pekkochat.balancer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pekkochat.balancer.support.Waits;

/** SIGTERM to the balancer process in front of a real node: CoordinatedShutdown drains, then exits. */
class BalancerStopIT {

  private static final Duration DRAIN = Duration.ofSeconds(3);

  @TempDir Path dir;
  private ChatFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) fleet.close();
  }

  @Test
  void sigtermLetsSocketsGoOnThenClosesThemWithDrainingAndExits() throws Exception {
    fleet = new ChatFleet(dir, 1, List.of("-Dbalancer.shutdown.drain-timeout=" + DRAIN.toSeconds() + "s"));
    ChatFleet.Node node = fleet.nodes.get(0);
    try (ChatSocket socket = ChatSocket.open(fleet)) {
      socket.locate(fleet);
      long start = System.nanoTime();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> fleet.balancer.terminate(Duration.ofSeconds(30)));

      // the JVM's shutdown hook runs CoordinatedShutdown, whose first step is to stop accepting
      Waits.until(DRAIN, "the balancer refusing new connections", () -> {
        try {
          ChatSocket.open(fleet).close();
          return false;
        } catch (RuntimeException refused) {
          return true;
        }
      });
      // while the open socket still works, end to end
      socket.send(Map.of("type", "ping", "ref", "during-drain"));
      assertEquals("pong", socket.nextMatching(o -> o.path("ref").asText().equals("during-drain"), ChatSocket.WAIT).get("type").asText());

      JsonNode closing = socket.nextMatching(ChatSocket.ofType("closing"), DRAIN.multipliedBy(5));
      assertEquals("draining", closing.get("reason").asText());
      assertTrue(System.nanoTime() - start >= DRAIN.toNanos() * 9 / 10, "closed before the drain timeout");
      socket.ws.closed().orTimeout(10, TimeUnit.SECONDS).join();
      exit.orTimeout(30, TimeUnit.SECONDS).join();
      // the node was never touched: it still serves
      assertEquals(200, fleet.get(node.url("/readyz"), null).statusCode());
    }
  }
}
