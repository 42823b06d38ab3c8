package pekkochat.balancer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pekkochat.balancer.support.Waits;

/** {@code kill -9} of one of three real nodes behind a real balancer, then its restart. */
class NodeDeathIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROMPTLY = Duration.ofSeconds(3);
  private static final Duration MARKED_WITHIN = Duration.ofSeconds(5);

  @TempDir Path dir;
  private ChatFleet fleet;
  private final List<ChatSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(ChatSocket::close);
    if (fleet != null) fleet.close();
  }

  private ChatSocket openLocated() {
    ChatSocket socket = ChatSocket.open(fleet);
    sockets.add(socket);
    socket.locate(fleet);
    return socket;
  }

  @Test
  void aKilledNodesSocketsCloseItIsSkippedWithinFiveSecondsAndUsedAgainAfterRestart() throws Exception {
    fleet = new ChatFleet(dir, 3);
    for (int i = 0; i < 9; i++) openLocated();
    ChatFleet.Node victim = fleet.nodes.get(1);
    List<ChatSocket> onVictim = sockets.stream().filter(s -> s.node == victim).toList();
    assertEquals(3, onVictim.size());

    victim.process.kill9();
    long killedAt = System.nanoTime();
    for (ChatSocket socket : onVictim) {
      JsonNode closing = socket.nextMatching(ChatSocket.ofType("closing"), PROMPTLY);
      assertEquals("draining", closing.get("reason").asText());
      socket.ws.closed().orTimeout(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS).join();
    }
    Waits.until(MARKED_WITHIN, "the killed node marked down", () -> fleet.health(victim).equals("down"));
    assertTrue(System.nanoTime() - killedAt < MARKED_WITHIN.toNanos());

    for (int i = 0; i < 6; i++) assertNotEquals(victim, openLocated().node, "a new socket went to the killed node");
    for (int i = 0; i < 6; i++) {
      var response = fleet.get(fleet.balancerUrl("/api/rooms"), fleet.token);
      assertEquals(200, response.statusCode(), response.body());
      String answeredBy = JSON.readTree(response.body()).get("rooms").get(0).get("name").asText();
      assertNotEquals(victim.roomName(), answeredBy, "a REST call went to the killed node");
    }

    fleet.startNode(victim);
    Waits.until(MARKED_WITHIN, "the restarted node up again", () -> fleet.health(victim).equals("up"));
    // the others hold 6 sockets each, the restarted node none: the next ones all go there
    for (int i = 0; i < 3; i++) assertEquals(victim, openLocated().node);
  }
}
