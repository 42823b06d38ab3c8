package pekkochat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClientFrameParserTest {
  private final ClientFrameParser parser = new ClientFrameParser(new ObjectMapper());

  @Test
  void parsesEachFrameOfTheProtocol() {
    var join = assertInstanceOf(ClientFrame.Join.class, parser.parse("{\"type\":\"join\",\"room\":\"abc\",\"lastSeq\":7,\"ref\":\"r1\"}"));
    assertEquals(7L, join.lastSeq());
    assertEquals("r1", join.ref());
    assertNull(assertInstanceOf(ClientFrame.Join.class, parser.parse("{\"type\":\"join\",\"room\":\"abc\"}")).lastSeq());
    var send = assertInstanceOf(ClientFrame.Send.class, parser.parse("{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"c\",\"text\":\"hi\"}"));
    assertEquals("hi", send.text());
    assertInstanceOf(ClientFrame.Leave.class, parser.parse("{\"type\":\"leave\",\"room\":\"abc\"}"));
    assertInstanceOf(ClientFrame.Ping.class, parser.parse("{\"type\":\"ping\"}"));
    assertEquals(3, assertInstanceOf(ClientFrame.Edit.class,
        parser.parse("{\"type\":\"edit\",\"room\":\"abc\",\"target\":3,\"text\":\"x\"}")).target());
    assertInstanceOf(ClientFrame.Presence.class, parser.parse("{\"type\":\"presence\",\"status\":\"away\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "not json",
    "[1,2]",
    "{\"type\":\"dance\"}",
    "{\"room\":\"abc\"}",
    "{\"type\":\"send\",\"room\":\"abc\",\"text\":\"no clientId\"}",
    "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"\",\"text\":\"x\"}",
    "{\"type\":\"join\",\"room\":\"has space\"}",
    "{\"type\":\"join\",\"room\":\"abc\",\"lastSeq\":-1}",
    "{\"type\":\"join\",\"room\":\"abc\",\"lastSeq\":\"7\"}",
    "{\"type\":\"presence\",\"status\":\"busy\"}",
  })
  void refusesMalformedFrames(String frame) {
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(frame));
  }

  @Test
  void boundsTextClientIdAndRef() {
    String text4000 = "é".repeat(4000);
    assertInstanceOf(ClientFrame.Send.class, parser.parse(send("c", text4000)));
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(send("c", text4000 + "x")));
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(send("c".repeat(65), "x")));
    var tooLongRef = assertInstanceOf(ClientFrame.Invalid.class,
        parser.parse("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}"));
    assertNull(tooLongRef.ref());
    assertEquals("r9", assertInstanceOf(ClientFrame.Invalid.class, parser.parse("{\"type\":\"nope\",\"ref\":\"r9\"}")).ref());
  }

  private static String send(String clientId, String text) {
    return "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"" + clientId + "\",\"text\":\"" + text + "\"}";
  }
}
