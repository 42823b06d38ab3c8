package pekkochat.balancer.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/**
 * The frame PROTOCOL.md section 5 sends before a server closes a socket. The balancer sends it
 * itself, with reason {@code draining}, when it must close a client's socket that the node cannot:
 * the node died, or the balancer is stopping. This frame is the only part of the chat protocol the
 * balancer knows.
 */
public final class ClosingFrame {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] CLOSING = "\"closing\"".getBytes(StandardCharsets.US_ASCII);

  private ClosingFrame() {}

  /**
   * Whether a text frame's UTF-8 payload ends with a {@code closing} object (a server frame may
   * hold several objects, one per line). Looked at for every whole text frame from a node, so only
   * a last line that mentions {@code "closing"} is parsed.
   */
  public static boolean isClosing(ByteString payload) {
    return isClosing(payload.asByteBuffer(), 0, payload.size());
  }

  /** The same, for a payload at {@code bytes[from, to)} (absolute indices; the buffer's position is not used). */
  public static boolean isClosing(ByteBuffer bytes, int from, int to) {
    int lastLine = to;
    while (lastLine > from && bytes.get(lastLine - 1) != '\n') lastLine--;
    if (!mentionsClosing(bytes, lastLine, to)) return false;
    byte[] line = new byte[to - lastLine];
    bytes.get(lastLine, line);
    try {
      return "closing".equals(JSON.readTree(line).path("type").asText());
    } catch (IOException notJson) {
      return false;
    }
  }

  private static boolean mentionsClosing(ByteBuffer bytes, int from, int to) {
    for (int i = from; i + CLOSING.length <= to; i++) {
      int j = 0;
      while (j < CLOSING.length && bytes.get(i + j) == CLOSING[j]) j++;
      if (j == CLOSING.length) return true;
    }
    return false;
  }

  /** The UTF-8 payload of the balancer's own {@code closing} frame. */
  public static ByteString draining(String message) {
    ObjectNode frame = JSON.createObjectNode();
    frame.put("type", "closing");
    frame.put("reason", "draining");
    frame.put("message", message);
    return ByteString.fromString(frame.toString());
  }
}
