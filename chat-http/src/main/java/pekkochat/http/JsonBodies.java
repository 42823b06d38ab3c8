package pekkochat.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import pekkochat.auth.Credentials;
import pekkochat.room.Role;
import pekkochat.room.Visibility;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.WireText;

/**
 * Reading the small JSON request bodies of PROTOCOL.md section 3, with no server needed (so that
 * RestBodyFuzzTest reaches them); an empty body reads as {@code {}}.
 */
final class JsonBodies {
  /** Room names as a person types them; the protocol leaves the bound to us (docs/protocol-notes.md). */
  static final int MAX_ROOM_NAME = 100;

  private JsonBodies() {}

  /** A body decoded into {@code value}, or the {@code problem} that makes it a 400 {@code bad_request}. */
  record Decoded<T>(T value, String problem) {
    static <T> Decoded<T> ok(T value) {
      return new Decoded<>(value, null);
    }

    static <T> Decoded<T> bad(String problem) {
      return new Decoded<>(null, problem);
    }

    boolean isBad() {
      return problem != null;
    }

    HttpResponse badRequest() {
      return ApiResponses.error(ErrorCode.BAD_REQUEST, problem);
    }
  }

  /** {@code POST /api/rooms}: the name stripped of surrounding white space. */
  record NewRoom(String name, Visibility visibility) {}

  /** {@code POST /api/rooms/{id}/invites}: null = the room's default TTL, or unlimited uses. */
  record InviteLimits(Long ttlSeconds, Integer maxUses) {}

  /** The body as an object, or empty when it is not a JSON object. */
  static Optional<JsonNode> object(String body) {
    if (body == null || body.isBlank()) return Optional.of(Json.mapper().createObjectNode());
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** {@code {"username","password"}} for register and login; their rules are {@link Credentials}'. */
  static Decoded<Credentials> credentials(String body) {
    Optional<JsonNode> json = body == null || body.isBlank() ? Optional.empty() : object(body);
    JsonNode username = json.map(j -> j.get("username")).orElse(null);
    JsonNode password = json.map(j -> j.get("password")).orElse(null);
    if (username == null || !username.isTextual() || password == null || !password.isTextual()) {
      return Decoded.bad("body must be a JSON object with string fields username and password");
    }
    return Decoded.ok(new Credentials(username.textValue(), password.textValue()));
  }

  /** {@code {"name","visibility"?}}; visibility defaults to public. */
  static Decoded<NewRoom> newRoom(String body) {
    Optional<JsonNode> parsed = object(body);
    if (parsed.isEmpty()) return Decoded.bad("body is not a JSON object");
    JsonNode json = parsed.get();
    JsonNode nameNode = json.get("name");
    String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue().strip() : "";
    // a name is one line in every member's room list: no newline, NUL or terminal escape in it
    if (name.isEmpty() || WireText.characters(name) > MAX_ROOM_NAME
        || !WireText.isWellFormed(name) || WireText.hasControlCharacter(name)) {
      return Decoded.bad("name must be 1 to " + MAX_ROOM_NAME + " characters, none of them a control character");
    }
    JsonNode visibilityNode = json.get("visibility");
    Optional<Visibility> visibility = visibilityNode == null || visibilityNode.isNull()
        ? Optional.of(Visibility.PUBLIC)
        : Optional.ofNullable(visibilityNode.isTextual() ? visibilityNode.asText() : null).flatMap(Visibility::fromWire);
    if (visibility.isEmpty()) return Decoded.bad("visibility must be public or private");
    return Decoded.ok(new NewRoom(name, visibility.get()));
  }

  /** {@code {"role":"admin"|"member"}}: the owner's role is never given, only created. */
  static Decoded<Role> role(String body) {
    Optional<Role> role = object(body)
        .map(json -> json.path("role").asText(""))
        .flatMap(Role::fromWire)
        .filter(r -> r != Role.OWNER);
    return role.map(Decoded::ok).orElseGet(() -> Decoded.bad("role must be admin or member"));
  }

  /** {@code {"ttlSeconds"?, "maxUses"?}}, each a positive whole number; maxUses fits an int. */
  static Decoded<InviteLimits> inviteLimits(String body) {
    Optional<JsonNode> json = object(body);
    Optional<Long> ttl = json.map(j -> positiveLong(j, "ttlSeconds")).orElse(null);
    Optional<Long> maxUses = json.map(j -> positiveLong(j, "maxUses")).orElse(null);
    if (ttl == null || maxUses == null || maxUses.isPresent() && maxUses.get() > Integer.MAX_VALUE) {
      return Decoded.bad("ttlSeconds and maxUses must be positive integers");
    }
    return Decoded.ok(new InviteLimits(ttl.orElse(null), maxUses.map(Long::intValue).orElse(null)));
  }

  /** A positive whole number field: absent → empty; present but not one → null (invalid). */
  private static Optional<Long> positiveLong(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value instanceof NullNode) return Optional.empty();
    return value.canConvertToLong() && value.isIntegralNumber() && value.asLong() > 0 ? Optional.of(value.asLong()) : null;
  }
}
