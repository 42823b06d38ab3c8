package pekkochat.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;

/** Reading small JSON request bodies; an empty body reads as {@code {}}. */
final class JsonBodies {
  private JsonBodies() {}

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

  /** A positive whole number field: absent → empty; present but not one → null (invalid). */
  static Optional<Long> positiveLong(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value instanceof NullNode) return Optional.empty();
    return value.canConvertToLong() && value.isIntegralNumber() && value.asLong() > 0 ? Optional.of(value.asLong()) : null;
  }
}
