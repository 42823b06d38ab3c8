package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pekkochat.room.Role;

/** The REST bodies' rules (PROTOCOL.md section 3, docs/protocol-notes.md) and the regressions of issue #13's fuzzing. */
class JsonBodiesTest {

  @Test
  void decodesEachBody() {
    assertEquals("alice", JsonBodies.credentials("{\"username\":\"alice\",\"password\":\"pw\"}").value().username());
    JsonBodies.NewRoom room = JsonBodies.newRoom("{\"name\":\"  general \"}").value();
    assertEquals("general", room.name());
    assertEquals(Role.ADMIN, JsonBodies.role("{\"role\":\"admin\"}").value());
    assertEquals(new JsonBodies.InviteLimits(60L, 3), JsonBodies.inviteLimits("{\"ttlSeconds\":60,\"maxUses\":3}").value());
    assertEquals(new JsonBodies.InviteLimits(null, null), JsonBodies.inviteLimits("").value());
  }

  /** Issue #13's fuzzing checklist: Jackson kept the last of two equal keys, so a body meant one thing and did another. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"name\":\"a\",\"name\":\"b\"}",
    "{\"role\":\"member\",\"role\":\"admin\"}",
    "{\"username\":\"alice\",\"password\":\"correct-horse\",\"username\":\"mallory\"}",
    "{\"ttlSeconds\":60,\"ttlSeconds\":120}",
  })
  void aBodyWithADuplicateFieldIsABadRequest(String body) {
    assertAllBad(body);
  }

  /** Issue #13's fuzzing checklist: what followed the body's object was silently dropped. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"role\":\"admin\"} x",
    "{\"name\":\"a\"}{\"name\":\"b\"}",
    "{\"username\":\"alice\",\"password\":\"correct-horse\"}]",
    "{\"ttlSeconds\":60}\n{}",
  })
  void aBodyWithTrailingInputIsABadRequest(String body) {
    assertAllBad(body);
  }

  /** Issue #13's fuzzing checklist: a room name took NUL, newlines and escape sequences into every client's room list. */
  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "line\nbreak", "tab\there", "\u001b[31mred", "del\u007f", "c1\u0085"})
  void aRoomNameWithAControlCharacterIsABadRequest(String name) {
    assertTrue(JsonBodies.newRoom(Json.mapper().createObjectNode().put("name", name).toString()).isBad(), name);
  }

  /** Issue #13's fuzzing checklist: an escaped lone surrogate is half a character, which UTF-8 cannot carry. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"name\":\"\\ud800\"}", "{\"name\":\"room \\udc00\"}", "{\"name\":\"x\\ud83d\"}"})
  void aRoomNameWithALoneSurrogateIsABadRequest(String body) {
    assertTrue(JsonBodies.newRoom(body).isBad(), body);
  }

  /** Found by RestBodyFuzzTest: the name's bound counted UTF-16 units, so 51 emoji were "too long". */
  @Test
  void aRoomNameIsBoundedInCharacters() {
    String emoji = "\uD83D\uDE00";
    JsonBodies.Decoded<JsonBodies.NewRoom> longest =
        JsonBodies.newRoom("{\"name\":\"" + emoji.repeat(JsonBodies.MAX_ROOM_NAME) + "\"}");
    assertFalse(longest.isBad(), longest::problem);
    assertTrue(JsonBodies.newRoom("{\"name\":\"" + emoji.repeat(JsonBodies.MAX_ROOM_NAME + 1) + "\"}").isBad());
  }

  private static void assertAllBad(String body) {
    assertTrue(JsonBodies.credentials(body).isBad(), () -> "credentials " + body);
    assertTrue(JsonBodies.newRoom(body).isBad(), () -> "new room " + body);
    assertTrue(JsonBodies.role(body).isBad(), () -> "role " + body);
    assertTrue(JsonBodies.inviteLimits(body).isBad(), () -> "invite " + body);
  }
}
