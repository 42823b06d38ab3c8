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

  /** Issue #13's fuzzing checklist: Jackson kept the last of two equal keys, so a frame meant one thing and did another. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"c\",\"text\":\"hi\",\"text\":\"bye\"}",
    "{\"type\":\"ping\",\"type\":\"ping\"}",
    "{\"type\":\"join\",\"room\":\"abc\",\"room\":\"def\"}",
  })
  void refusesDuplicateFields(String frame) {
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(frame));
  }

  /** Issue #13's fuzzing checklist: a frame holds one object; what followed it was silently dropped. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"type\":\"ping\"}{\"type\":\"ping\"}",
    "{\"type\":\"ping\"} trailing",
    "{\"type\":\"ping\"}]",
    "{\"type\":\"ping\"}\n{\"type\":\"leave\",\"room\":\"abc\"}",
  })
  void refusesTrailingInputAfterTheObject(String frame) {
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(frame));
  }

  /** Found by ClientFrameFuzzTest (in a ref): an escaped lone surrogate is no character, and no UTF-8 writer can carry it. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"c\",\"text\":\"\\ud800\"}",
    "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"c\",\"text\":\"a\\udc00b\"}",
    "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"\\udbff\",\"text\":\"hi\"}",
    "{\"type\":\"edit\",\"room\":\"abc\",\"target\":1,\"text\":\"x\\ud83d\"}",
    "{\"type\":\"ping\",\"ref\":\"\\ud800\"}",
  })
  void refusesLoneSurrogates(String frame) {
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(frame));
  }

  @Test
  void acceptsSurrogatePairsAndCountsThemAsOneCharacter() {
    String emoji = "\uD83D\uDE00";
    assertInstanceOf(ClientFrame.Send.class, parser.parse(send("c", emoji.repeat(ClientFrameParser.MAX_TEXT))));
    assertInstanceOf(ClientFrame.Invalid.class, parser.parse(send("c", emoji.repeat(ClientFrameParser.MAX_TEXT + 1))));
    assertInstanceOf(ClientFrame.Send.class, parser.parse(send("c", "\\ud83d\\ude00")));
  }

  /** Found by ClientFrameFuzzTest: the ref was counted in UTF-16 units, text and clientId in characters (PROTOCOL.md: chars). */
  @Test
  void countsTheRefInCharacters() {
    String emojiRef = "\uD83D\uDE00".repeat(ClientFrameParser.MAX_REF);
    var ping = assertInstanceOf(ClientFrame.Ping.class, parser.parse("{\"type\":\"ping\",\"ref\":\"" + emojiRef + "\"}"));
    assertEquals(emojiRef, ping.ref());
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "1e30", "-9223372036854775809", "7.0", "100000000000000000000000000000000000000000"})
  void refusesASeqThatIsNoLong(String number) {
    assertInstanceOf(ClientFrame.Invalid.class,
        parser.parse("{\"type\":\"join\",\"room\":\"abc\",\"lastSeq\":" + number + "}"));
    assertInstanceOf(ClientFrame.Invalid.class,
        parser.parse("{\"type\":\"read\",\"room\":\"abc\",\"seq\":" + number + "}"));
  }

  private static String send(String clientId, String text) {
    return "{\"type\":\"send\",\"room\":\"abc\",\"clientId\":\"" + clientId + "\",\"text\":\"" + text + "\"}";
  }
}
