package pekkochat.balancer.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;

/**
 * The frame PROTOCOL.md section 5 sends before a server closes a socket. The balancer sends it
 * itself, with reason {@code draining}, when it must close a client's socket that the node cannot:
 * the node died, or the balancer is stopping. This is the only part of the chat protocol it knows.
 */
final class ClosingFrame {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClosingFrame() {}

  static Message draining(String message) {
    ObjectNode frame = JSON.createObjectNode();
    frame.put("type", "closing");
    frame.put("reason", "draining");
    frame.put("message", message);
    return TextMessage.create(frame.toString());
  }
}
