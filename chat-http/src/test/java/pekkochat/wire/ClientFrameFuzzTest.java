package pekkochat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.fuzz.FuzzInputs;

/**
 * Issue #13's fuzzing of the client-frame decoder (docs/testing.md, "Fuzzing"). The rule: parsing
 * never throws; every input is a valid frame within PROTOCOL.md's bounds, or {@link
 * ClientFrame.Invalid} whose {@code bad_request} error frame can be written; and a frame valid by
 * PROTOCOL.md, however it is spelled, still parses as itself.
 *
 * <p>{@link #anyInputIsAFrameOrABadRequest} is a Jazzer {@code @FuzzTest}. In the build (no
 * {@code JAZZER_FUZZ}) it runs in regression mode: once for the empty input and once for each file
 * of its corpus, src/test/resources/pekkochat/wire/ClientFrameFuzzTestInputs/anyInputIsAFrameOrABadRequest/
 * (the {@code *.json} files are real frames; FuzzIT mutates the same ones). The {@code @Test}s beside
 * it are bounded and deterministic (fixed {@link Random} seeds): mutations of every corpus entry,
 * random strings, and valid frames in many spellings, so the build checks more than the seeds.
 *
 * <p>To fuzz for real locally (coverage-guided, bounded by {@code maxDuration}):
 * <pre>JAZZER_FUZZ=1 mvn -B -pl chat-http -am test -Dtest=ClientFrameFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * A finding fails the test and is written into that inputs directory as a {@code crash-...} file:
 * commit it with the fix, and the build replays it from then on. Jazzer keeps its generated corpus
 * in {@code .cifuzz-corpus/} (not committed).
 */
class ClientFrameFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ClientFrameParser parser = new ClientFrameParser(MAPPER);
  private static final ServerFrames frames = new ServerFrames(new JsonFactory());
  private static final String INPUTS = "pekkochat/wire/ClientFrameFuzzTestInputs/anyInputIsAFrameOrABadRequest";
  private static final List<String> CORPUS = FuzzInputs.corpus(INPUTS);
  /** An error message is for a person; a hostile input must not make it big. */
  private static final int MAX_ERROR_MESSAGE = 200;
  /** Bounded passes: mutations per corpus entry, random strings, valid frames. */
  private static final int MUTATIONS_PER_INPUT = 100;
  private static final int TRIES = 1000;
  private static final String JSONISH = "{}[]\":,.-+eE0123456789 \\u\ntypejoinsendrmlastSeq";

  @FuzzTest(maxDuration = "5m")
  void anyInputIsAFrameOrABadRequest(byte[] input) {
    answered(new String(input, StandardCharsets.UTF_8));
  }

  @Test
  void everyFrameOfTheCorpusIsValid() {
    List<String> seeds = FuzzInputs.seeds(INPUTS);
    assertFalse(seeds.isEmpty(), "a corpus at " + INPUTS);
    for (String frame : seeds) {
      ClientFrame parsed = parser.parse(frame);
      assertFalse(parsed instanceof ClientFrame.Invalid, () -> frame + " → " + parsed);
    }
  }

  @Test
  void anyMutatedRealFrameIsAFrameOrABadRequest() {
    Random random = new Random(130014);
    for (String frame : CORPUS) {
      for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
        String input = frame;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) input = FuzzInputs.mutate(input, random);
        answered(input);
      }
    }
  }

  @Test
  void anyStringIsAFrameOrABadRequest() {
    Random random = new Random(130013);
    for (int i = 0; i < TRIES; i++) answered(FuzzInputs.anyString(random, JSONISH));
  }

  @Test
  void aValidFrameParsesAsItselfHoweverItIsSpelled() throws Exception {
    Random random = new Random(130015);
    for (int i = 0; i < TRIES; i++) {
      ObjectNode frame = validFrame(random);
      String text = spell(frame, random);
      ClientFrame parsed = answered(text);
      assertFalse(parsed instanceof ClientFrame.Invalid, () -> "valid by PROTOCOL.md: " + abbreviate(text) + " → " + parsed);
      assertEquals(expected(frame), parsed, () -> abbreviate(text));
    }
  }

  /** The rule for any input; returns the parsed frame for further checks. */
  private static ClientFrame answered(String input) {
    ClientFrame parsed = parser.parse(input);
    assertNotNull(parsed, "parse answers every input");
    if (parsed.ref() != null) {
      assertTrue(WireText.characters(parsed.ref()) <= ClientFrameParser.MAX_REF && WireText.isWellFormed(parsed.ref()),
          () -> "ref within PROTOCOL.md's bound: " + abbreviate(input));
    }
    if (parsed instanceof ClientFrame.Invalid invalid) {
      assertTrue(invalid.message() != null && !invalid.message().isBlank() && invalid.message().length() <= MAX_ERROR_MESSAGE,
          () -> "a short reason: " + invalid.message());
      JsonNode error = readJson(frames.error(ErrorCode.BAD_REQUEST.wireName(), invalid.message(), invalid.ref()));
      assertEquals("bad_request", error.path("code").asText());
      assertEquals(invalid.ref(), error.path("ref").textValue());
    } else {
      withinBounds(parsed, input);
    }
    return parsed;
  }

  /** What only a valid frame holds: PROTOCOL.md section 4's fields and bounds. */
  private static void withinBounds(ClientFrame frame, String input) {
    assertTrue(FuzzInputs.isOneJsonObject(input), () -> "a frame is one JSON object, nothing after it: " + abbreviate(input));
    String room = null;
    List<String> texts = new ArrayList<>();
    if (frame instanceof ClientFrame.Join f) {
      room = f.room();
      assertTrue(f.lastSeq() == null || f.lastSeq() >= 0, input);
    } else if (frame instanceof ClientFrame.Leave f) {
      room = f.room();
    } else if (frame instanceof ClientFrame.Send f) {
      room = f.room();
      texts.add(f.text());
      assertTrue(WireText.characters(f.clientId()) >= 1 && WireText.characters(f.clientId()) <= ClientFrameParser.MAX_CLIENT_ID, input);
      assertTrue(WireText.isWellFormed(f.clientId()), () -> "clientId without lone surrogates: " + abbreviate(input));
    } else if (frame instanceof ClientFrame.Edit f) {
      room = f.room();
      texts.add(f.text());
      assertTrue(f.target() >= 0, input);
    } else if (frame instanceof ClientFrame.Delete f) {
      room = f.room();
      assertTrue(f.target() >= 0, input);
    } else if (frame instanceof ClientFrame.Typing f) {
      room = f.room();
    } else if (frame instanceof ClientFrame.Read f) {
      room = f.room();
      assertTrue(f.seq() >= 0, input);
    } else if (frame instanceof ClientFrame.Presence f) {
      assertTrue(f.status().equals("online") || f.status().equals("away"), input);
    } else {
      assertInstanceOf(ClientFrame.Ping.class, frame);
    }
    if (room != null) assertTrue(RoomIds.isValid(room), () -> "a room id: " + abbreviate(input));
    for (String text : texts) {
      assertTrue(WireText.characters(text) >= 1 && WireText.characters(text) <= ClientFrameParser.MAX_TEXT, input);
      assertTrue(WireText.isWellFormed(text), () -> "text without lone surrogates: " + abbreviate(input));
    }
  }

  /** A frame valid by PROTOCOL.md section 4, with any values the protocol allows and an unknown field now and then. */
  private static ObjectNode validFrame(Random random) {
    String room = room(random);
    ObjectNode frame;
    switch (random.nextInt(9)) {
      case 0:
        frame = frame("join").put("room", room).put("lastSeq", random.nextInt(10) < 3 ? null : seq(random));
        break;
      case 1:
        frame = frame("leave").put("room", room);
        break;
      case 2:
        frame = frame("send").put("room", room).put("clientId", characters(random, 1, ClientFrameParser.MAX_CLIENT_ID))
            .put("text", text(random));
        break;
      case 3:
        frame = frame("edit").put("room", room).put("target", seq(random)).put("text", text(random));
        break;
      case 4:
        frame = frame("delete").put("room", room).put("target", seq(random));
        break;
      case 5:
        frame = frame("typing").put("room", room);
        break;
      case 6:
        frame = frame("read").put("room", room).put("seq", seq(random));
        break;
      case 7:
        frame = frame("presence").put("status", random.nextBoolean() ? "online" : "away");
        break;
      default:
        frame = frame("ping");
    }
    if (random.nextInt(10) >= 3) frame.put("ref", characters(random, 0, ClientFrameParser.MAX_REF));
    if (random.nextInt(10) < 3) {
      String extra = alpha(random, 1 + random.nextInt(8));
      if (!frame.has(extra)) frame.put(extra, "unknown fields are ignored");
    }
    return frame;
  }

  private static String room(Random random) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    int length = 1 + random.nextInt(random.nextBoolean() ? 8 : ClientFrameParser.MAX_ROOM_ID);
    StringBuilder room = new StringBuilder(length);
    for (int i = 0; i < length; i++) room.append(chars.charAt(random.nextInt(chars.length())));
    return room.toString();
  }

  /** 1 to MAX_TEXT characters, short most of the time, at the bound now and then. */
  private static String text(Random random) {
    int bound = random.nextInt(10) == 0 ? ClientFrameParser.MAX_TEXT : 40;
    return characters(random, 1, bound);
  }

  /** A small seq most of the time, any non-negative long otherwise. */
  private static long seq(Random random) {
    return random.nextBoolean() ? random.nextInt(1001) : random.nextLong() & Long.MAX_VALUE;
  }

  private static String alpha(Random random, int length) {
    StringBuilder word = new StringBuilder(length);
    for (int i = 0; i < length; i++) word.append((char) ((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
    return word.toString();
  }

  /** {@code min} to {@code max} Unicode characters, no lone surrogates, 1 to 4 UTF-16 units each. */
  private static String characters(Random random, int min, int max) {
    int count = min + random.nextInt(max - min + 1);
    List<Integer> codePoints = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      switch (random.nextInt(3)) {
        case 0:
          codePoints.add(random.nextInt(0x80));
          break;
        case 1:
          codePoints.add(random.nextInt(Character.MIN_SURROGATE));
          break;
        default:
          codePoints.add(Character.MAX_SURROGATE + 1 + random.nextInt(Character.MAX_CODE_POINT - Character.MAX_SURROGATE));
      }
    }
    return FuzzInputs.fromCodePoints(codePoints);
  }

  private static ObjectNode frame(String type) {
    return MAPPER.createObjectNode().put("type", type);
  }

  /** The same frame in another spelling: fields reordered, white space, non-ASCII escaped or not. */
  private static String spell(ObjectNode frame, Random random) throws Exception {
    List<String> names = new ArrayList<>();
    frame.fieldNames().forEachRemaining(names::add);
    Collections.shuffle(names, random);
    ObjectNode reordered = MAPPER.createObjectNode();
    for (String name : names) reordered.set(name, frame.get(name));
    JsonFactory factory = new JsonFactory();
    if (random.nextBoolean()) factory.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
    ObjectMapper writer = new ObjectMapper(factory);
    return random.nextBoolean()
        ? writer.writerWithDefaultPrettyPrinter().writeValueAsString(reordered)
        : " \t\n".substring(random.nextInt(3)) + writer.writeValueAsString(reordered) + "\n ".substring(random.nextInt(2));
  }

  private static ClientFrame expected(ObjectNode f) {
    String ref = f.path("ref").textValue();
    String room = f.path("room").textValue();
    String text = f.path("text").textValue();
    switch (f.path("type").asText()) {
      case "join": return new ClientFrame.Join(ref, room, f.path("lastSeq").isNull() ? null : f.path("lastSeq").asLong());
      case "leave": return new ClientFrame.Leave(ref, room);
      case "send": return new ClientFrame.Send(ref, room, f.path("clientId").textValue(), text);
      case "edit": return new ClientFrame.Edit(ref, room, f.path("target").asLong(), text);
      case "delete": return new ClientFrame.Delete(ref, room, f.path("target").asLong());
      case "typing": return new ClientFrame.Typing(ref, room);
      case "read": return new ClientFrame.Read(ref, room, f.path("seq").asLong());
      case "presence": return new ClientFrame.Presence(ref, f.path("status").textValue());
      default: return new ClientFrame.Ping(ref);
    }
  }

  private static JsonNode readJson(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + abbreviate(json), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
