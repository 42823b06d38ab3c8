package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import pekkochat.auth.Credentials;
import pekkochat.room.Role;
import pekkochat.room.Visibility;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.fuzz.FuzzInputs;
import pekkochat.wire.WireText;

/**
 * Issue #13's fuzzing of every REST body of PROTOCOL.md section 3 (register and login, create
 * room, create invite, set a member's role; the other calls take no body) through {@link
 * JsonBodies}, the decoding the routes use (docs/testing.md, "Fuzzing"). The rule: no exception
 * escapes; a bad body is a 400 with {@code {"error":{"code":"bad_request","message"}}}, never a
 * 500; a decoded body keeps PROTOCOL.md's and docs/protocol-notes.md's bounds; a valid one decodes.
 *
 * <p>Like ClientFrameFuzzTest: {@link #anyBodyIsABodyOrABadRequest} is a Jazzer {@code @FuzzTest},
 * replayed in the build (regression mode: the empty input, then each file of
 * src/test/resources/pekkochat/http/RestBodyFuzzTestInputs/anyBodyIsABodyOrABadRequest/, one real
 * body per {@code *.json} file, named after its call); the {@code @Test}s are bounded, deterministic
 * passes (fixed {@link Random} seeds) over mutated bodies, random strings and valid bodies. To fuzz
 * for real locally, bounded by {@code maxDuration}:
 * <pre>JAZZER_FUZZ=1 mvn -B -pl chat-http -am test -Dtest=RestBodyFuzzTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * A finding is written into that inputs directory as a {@code crash-...} file; commit it with the fix.
 */
class RestBodyFuzzTest {
  private static final String INPUTS = "pekkochat/http/RestBodyFuzzTestInputs/anyBodyIsABodyOrABadRequest";
  private static final List<String> CORPUS = FuzzInputs.corpus(INPUTS);
  private static final List<Function<String, JsonBodies.Decoded<?>>> DECODERS =
      List.of(JsonBodies::credentials, JsonBodies::newRoom, JsonBodies::role, JsonBodies::inviteLimits);
  /** Bounded passes: mutations per corpus entry, tries of the others. */
  private static final int MUTATIONS_PER_INPUT = 100;
  private static final int TRIES = 1000;
  private static final String JSONISH = "{}[]\":,.-+eE0123456789 \\u\nnamerolettlSecondsmaxUsesuserpassword";

  @FuzzTest(maxDuration = "5m")
  void anyBodyIsABodyOrABadRequest(byte[] body) {
    answered(new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void everyBodyOfTheCorpusDecodesForItsCall() {
    List<String> seeds = FuzzInputs.seeds(INPUTS);
    assertFalse(seeds.isEmpty(), "a corpus at " + INPUTS);
    for (String body : seeds) {
      boolean decodedBySome = DECODERS.stream().anyMatch(decoder -> !decoder.apply(body).isBad());
      assertTrue(decodedBySome, body);
    }
  }

  @Test
  void anyStringIsABodyOrABadRequest() {
    Random random = new Random(130021);
    for (int i = 0; i < TRIES; i++) answered(FuzzInputs.anyString(random, JSONISH));
  }

  @Test
  void anyMutatedRealBodyIsABodyOrABadRequest() {
    Random random = new Random(130022);
    for (String body : CORPUS) {
      for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
        String input = body;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) input = FuzzInputs.mutate(input, random);
        answered(input);
      }
    }
  }

  @Test
  void validCredentialsDecode() {
    Random random = new Random(130023);
    for (int i = 0; i < TRIES; i++) {
      String username = unicode(random);
      String password = unicode(random);
      String body = Json.mapper().createObjectNode().put("username", username).put("password", password).toString();
      assertEquals(new Credentials(username, password), decoded(JsonBodies.credentials(body), body));
    }
  }

  @Test
  void aValidNewRoomDecodes() {
    Random random = new Random(130024);
    for (int i = 0; i < TRIES; i++) {
      String name = roomName(random);
      String visibility = List.of("", "public", "private").get(random.nextInt(3)); // "" stands for no field
      ObjectNode json = Json.mapper().createObjectNode().put("name", name);
      if (!visibility.isEmpty()) json.put("visibility", visibility);
      JsonBodies.NewRoom room = decoded(JsonBodies.newRoom(json.toString()), json.toString());
      assertEquals(name.strip(), room.name());
      assertEquals(visibility.isEmpty() ? Visibility.PUBLIC : Visibility.fromWire(visibility).orElseThrow(), room.visibility());
    }
  }

  @Test
  void validInviteLimitsDecode() {
    Random random = new Random(130025);
    for (int i = 0; i < TRIES; i++) {
      Long ttlSeconds = random.nextInt(5) == 0 ? null : positiveLong(random);
      Integer maxUses = random.nextInt(5) == 0 ? null : (random.nextBoolean() ? 1 + random.nextInt(100) : 1 + random.nextInt(Integer.MAX_VALUE));
      ObjectNode json = Json.mapper().createObjectNode().put("ttlSeconds", ttlSeconds).put("maxUses", maxUses);
      assertEquals(new JsonBodies.InviteLimits(ttlSeconds, maxUses), decoded(JsonBodies.inviteLimits(json.toString()), json.toString()));
    }
  }

  @Test
  void eachGivenRoleDecodes() {
    for (Role role : List.of(Role.ADMIN, Role.MEMBER)) {
      String body = "{\"role\":\"" + role.wireName() + "\"}";
      assertEquals(role, decoded(JsonBodies.role(body), body));
    }
  }

  /** The rule for any body, through every decoder. */
  private static void answered(String body) {
    for (Function<String, JsonBodies.Decoded<?>> decoder : DECODERS) {
      JsonBodies.Decoded<?> decoded = decoder.apply(body);
      assertNotNull(decoded);
      if (decoded.isBad()) {
        badRequest(decoded.badRequest(), body);
      } else {
        withinBounds(decoded.value(), body);
      }
    }
  }

  private static void badRequest(HttpResponse response, String body) {
    assertEquals(400, response.status().intValue(), () -> "a bad body is a 400: " + abbreviate(body));
    String json = ((HttpEntity.Strict) response.entity()).getData().utf8String();
    JsonNode error;
    try {
      error = Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new AssertionError("error body is not JSON: " + json, e);
    }
    assertEquals("bad_request", error.path("error").path("code").asText(), json);
    assertTrue(error.path("error").path("message").isTextual(), json);
  }

  private static void withinBounds(Object value, String body) {
    // a blank body stands for {} where a body is optional (JsonBodies.object)
    assertTrue(body.isBlank() || FuzzInputs.isOneJsonObject(body), () -> "a body is one JSON object, nothing after it: " + abbreviate(body));
    if (value instanceof JsonBodies.NewRoom room) {
      int characters = WireText.characters(room.name());
      assertTrue(characters >= 1 && characters <= JsonBodies.MAX_ROOM_NAME, () -> "name of 1 to 100 characters: " + abbreviate(body));
      assertFalse(room.name().isBlank(), body);
      assertFalse(WireText.hasControlCharacter(room.name()), () -> "name without control characters: " + abbreviate(body));
      assertTrue(WireText.isWellFormed(room.name()), () -> "name without lone surrogates: " + abbreviate(body));
      assertNotNull(room.visibility());
    } else if (value instanceof JsonBodies.InviteLimits limits) {
      assertTrue(limits.ttlSeconds() == null || limits.ttlSeconds() > 0, body);
      assertTrue(limits.maxUses() == null || limits.maxUses() > 0, body);
    } else if (value instanceof Role role) {
      assertTrue(role == Role.ADMIN || role == Role.MEMBER, body);
    } else {
      Credentials credentials = (Credentials) value;
      assertNotNull(credentials.username(), body);
      assertNotNull(credentials.password(), body);
    }
  }

  private static <T> T decoded(JsonBodies.Decoded<T> decoded, String body) {
    assertFalse(decoded.isBad(), () -> "valid body refused (" + decoded.problem() + "): " + abbreviate(body));
    return decoded.value();
  }

  private static long positiveLong(Random random) {
    return random.nextBoolean() ? 1 + random.nextInt(100_000) : 1 + (random.nextLong() & (Long.MAX_VALUE - 1));
  }

  /** Up to 200 Unicode characters, no lone surrogates. */
  private static String unicode(Random random) {
    int count = random.nextInt(201);
    List<Integer> codePoints = new ArrayList<>(count);
    while (codePoints.size() < count) {
      int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
      if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) codePoints.add(codePoint);
    }
    return FuzzInputs.fromCodePoints(codePoints);
  }

  /** 1 to 100 characters, not all white space, no control character: what docs/protocol-notes.md allows. */
  private static String roomName(Random random) {
    while (true) {
      int count = 1 + random.nextInt(JsonBodies.MAX_ROOM_NAME);
      List<Integer> codePoints = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        switch (random.nextInt(3)) {
          case 0:
            codePoints.add(' ' + random.nextInt('~' - ' ' + 1));
            break;
          case 1:
            codePoints.add(0xa0 + random.nextInt(Character.MIN_SURROGATE - 0xa0));
            break;
          default:
            codePoints.add(Character.MAX_SURROGATE + 1 + random.nextInt(Character.MAX_CODE_POINT - Character.MAX_SURROGATE));
        }
      }
      String name = FuzzInputs.fromCodePoints(codePoints);
      if (!name.isBlank()) return name;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
