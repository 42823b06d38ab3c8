package pekkochat.testkit.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper of the test kit, and small helpers over PROTOCOL.md's frames. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + abbreviate(text), e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored, sequenced event (PROTOCOL.md §4 "Timeline events"): it has a numeric {@code seq} and is not a reply. */
    public static boolean isTimeline(JsonNode n) {
        String type = n.path("type").asText();
        return n.path("seq").isIntegralNumber()
                && (type.equals("message") || type.equals("edited") || type.equals("deleted") || type.equals("member"));
    }

    public static boolean isType(JsonNode n, String type) {
        return type.equals(n.path("type").asText());
    }

    public static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
