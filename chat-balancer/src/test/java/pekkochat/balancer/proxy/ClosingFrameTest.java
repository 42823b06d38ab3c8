package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class ClosingFrameTest {

  @Test
  void aFrameEndingWithAClosingObjectIsAClosingFrame() {
    assertTrue(ClosingFrame.isClosing(TextMessage.create("{\"type\":\"closing\",\"reason\":\"idle\",\"message\":\"x\"}")));
    assertTrue(ClosingFrame.isClosing(TextMessage.create("{\"type\":\"message\",\"seq\":3}\n{\"reason\":\"draining\",\"type\":\"closing\"}")));
  }

  @Test
  void otherFramesAreNot() {
    assertFalse(ClosingFrame.isClosing(TextMessage.create("{\"type\":\"closing\"}\n{\"type\":\"message\",\"seq\":3}")));
    assertFalse(ClosingFrame.isClosing(TextMessage.create("{\"type\":\"message\",\"text\":\"type closing\"}")));
    assertFalse(ClosingFrame.isClosing(TextMessage.create("not json")));
    assertFalse(ClosingFrame.isClosing(BinaryMessage.create(ByteString.fromString("{\"type\":\"closing\"}"))));
  }

  @Test
  void theBalancersOwnClosingFrameHasTheProtocolsShape() throws Exception {
    JsonNode frame = new ObjectMapper().readTree(ClosingFrame.draining("say \"bye\"\n").asTextMessage().getStrictText());
    assertEquals("closing", frame.get("type").asText());
    assertEquals("draining", frame.get("reason").asText());
    assertEquals("say \"bye\"\n", frame.get("message").asText());
    assertTrue(ClosingFrame.isClosing(ClosingFrame.draining("x")));
  }
}
