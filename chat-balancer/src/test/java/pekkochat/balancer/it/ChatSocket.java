package pekkochat.balancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Predicate;
import pekkochat.balancer.support.WsClient;

/** A chat client's socket: PROTOCOL.md section 4 frames over {@link WsClient}, split on newlines. */
final class ChatSocket implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  final WsClient ws;
  private final Deque<JsonNode> pending = new ArrayDeque<>();
  /** the node this socket landed on, found by {@link #locate} */
  ChatFleet.Node node;

  ChatSocket(WsClient ws) {
    this.ws = ws;
  }

  static ChatSocket open(ChatFleet fleet) {
    return new ChatSocket(WsClient.connect(fleet.balancerWs("/ws?token=" + fleet.token), Map.of()));
  }

  void send(Map<String, Object> frame) {
    try {
      ws.send(JSON.writeValueAsString(frame));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The next server object (frames hold one or more, one per line). */
  JsonNode next(Duration timeout) {
    while (pending.isEmpty()) {
      for (String line : ws.nextText(timeout).split("\n")) {
        try {
          pending.add(JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return pending.poll();
  }

  /** Whether anything arrived that was not taken yet. */
  boolean hasPending() {
    return !pending.isEmpty() || ws.pendingFrames() > 0;
  }

  /** The next object that matches, skipping others, within {@code timeout} per frame. */
  JsonNode nextMatching(Predicate<JsonNode> wanted, Duration timeout) {
    for (int skipped = 0; skipped < 10_000; skipped++) {
      JsonNode object = next(timeout);
      if (wanted.test(object)) return object;
    }
    throw new AssertionError("nothing matching in 10000 objects");
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
