package pekkochat.balancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.ws.WsClient;

/** A chat client's socket through the balancer ({@link WsClient}), and the node it landed on. */
final class ChatSocket implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  final WsClient ws;
  /** the node this socket landed on, found by {@link #locate} */
  ChatFleet.Node node;

  ChatSocket(WsClient ws) {
    this.ws = ws;
  }

  static ChatSocket open(ChatFleet fleet) {
    return new ChatSocket(WsClient.connect(fleet.balancerWs("/ws?token=" + fleet.token), Map.of()));
  }

  void send(Map<String, Object> frame) {
    ws.send(Json.MAPPER.valueToTree(frame));
  }

  /** Whether anything arrived after the last object read (skipped ones do not count). */
  boolean hasPending() {
    return ws.hasPending();
  }

  /** The next object that matches within {@code timeout}; the client keeps the others for later. */
  JsonNode nextMatching(Predicate<JsonNode> wanted, Duration timeout) {
    return ws.awaitMatching(wanted, timeout);
  }

  static Predicate<JsonNode> ofType(String type) {
    return o -> o.path("type").asText().equals(type);
  }

  /**
   * Joins every node's room: only the room of the node this socket is on exists there, so exactly
   * one join answers {@code joined}, the others {@code error not_found}.
   */
  ChatFleet.Node locate(ChatFleet fleet) {
    for (ChatFleet.Node n : fleet.nodes) send(Map.of("type", "join", "room", n.roomId, "ref", "locate-" + n.index));
    ChatFleet.Node found = null;
    for (int answers = 0; answers < fleet.nodes.size(); answers++) {
      JsonNode reply = nextMatching(o -> o.path("ref").asText().startsWith("locate-"), WAIT);
      if (reply.path("type").asText().equals("joined")) {
        if (found != null) throw new AssertionError("joined two nodes' rooms");
        found = fleet.nodeOfRoom(reply.get("room").asText());
      } else if (!reply.path("code").asText().equals("not_found")) {
        throw new AssertionError("unexpected answer to join: " + reply);
      }
    }
    if (found == null) throw new AssertionError("joined no room");
    node = found;
    return found;
  }

  @Override
  public void close() {
    ws.close();
  }
}
