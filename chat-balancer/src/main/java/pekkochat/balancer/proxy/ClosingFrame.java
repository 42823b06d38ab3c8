package pekkochat.balancer.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;

/**
 * The frame PROTOCOL.md section 5 sends before a server closes a socket. The balancer sends it
 * itself, with reason {@code draining}, when it must close a client's socket that the node cannot:
 * the node died, or the balancer is stopping. This frame is the only part of the chat protocol the
 * balancer knows.
 */
final class ClosingFrame {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClosingFrame() {}

  /**
   * Whether a frame from the node ends with a {@code closing} object (a server frame may hold
   * several objects, one per line). Only the last frame of an ended socket is looked at.
   */
  static boolean isClosing(Message frame) {
    if (!frame.isText() || !frame.asTextMessage().isStrict()) return false;
    String text = frame.asTextMessage().getStrictText();
    String lastLine = text.substring(text.lastIndexOf('\n') + 1);
    try {
      return "closing".equals(JSON.readTree(lastLine).path("type").asText());
    } catch (JsonProcessingException notJson) {
      return false;
    }
  }

  static Message draining(String message) {
    ObjectNode frame = JSON.createObjectNode();
    frame.put("type", "closing");
    frame.put("reason", "draining");
    frame.put("message", message);
    return TextMessage.create(frame.toString());
  }
}
