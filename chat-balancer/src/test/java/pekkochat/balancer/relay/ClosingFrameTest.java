package pekkochat.balancer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** Whether a text frame's payload ends with a closing object (a binary frame never is one: see FrameRelayTest). */
class ClosingFrameTest {

  private static ByteString text(String payload) {
    return ByteString.fromString(payload);
  }

  @Test
  void aFrameEndingWithAClosingObjectIsAClosingFrame() {
    assertTrue(ClosingFrame.isClosing(text("{\"type\":\"closing\",\"reason\":\"idle\",\"message\":\"x\"}")));
    assertTrue(ClosingFrame.isClosing(text("{\"type\":\"message\",\"seq\":3}\n{\"reason\":\"draining\",\"type\":\"closing\"}")));
  }

  @Test
  void otherFramesAreNot() {
    assertFalse(ClosingFrame.isClosing(text("{\"type\":\"closing\"}\n{\"type\":\"message\",\"seq\":3}")));
    assertFalse(ClosingFrame.isClosing(text("{\"type\":\"message\",\"text\":\"type closing\"}")));
    assertFalse(ClosingFrame.isClosing(text("{\"type\":\"message\",\"text\":\"\\\"closing\\\"\"}")));
    assertFalse(ClosingFrame.isClosing(text("not json")));
    assertFalse(ClosingFrame.isClosing(text("")));
  }

  @Test
  void theBalancersOwnClosingFrameHasTheProtocolsShape() throws Exception {
    JsonNode frame = new ObjectMapper().readTree(ClosingFrame.draining("say \"bye\"\n").utf8String());
    assertEquals("closing", frame.get("type").asText());
    assertEquals("draining", frame.get("reason").asText());
    assertEquals("say \"bye\"\n", frame.get("message").asText());
    assertTrue(ClosingFrame.isClosing(ClosingFrame.draining("x")));
  }
}
