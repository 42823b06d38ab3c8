package pekkochat.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** Parses and checks client frames against PROTOCOL.md sections 4 and 5. */
public final class ClientFrameParser {
  /** Limits fixed by the protocol itself, not by deployment. */
  static final int MAX_REF = 64;
  static final int MAX_CLIENT_ID = 64;
  static final int MAX_TEXT = 4000;
  static final int MAX_ROOM_ID = 64;

  private final ObjectReader reader;

  /**
   * A frame is one object: Jackson would keep the last of two equal keys and ignore what follows
   * the object, so a frame could mean one thing to a proxy or a log and another here.
   */
  public ClientFrameParser(ObjectMapper mapper) {
    this.reader = mapper.reader()
        .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public ClientFrame parse(String text) {
    JsonNode node;
    try {
      node = reader.readTree(text);
    } catch (JsonProcessingException e) {
      return new ClientFrame.Invalid(null, "not JSON, a field repeated, or input after the object");
    }
    if (node == null || !node.isObject()) return new ClientFrame.Invalid(null, "a frame is one JSON object");
    JsonNode refNode = node.get("ref");
    String ref = null;
    if (refNode != null && !refNode.isNull()) {
      if (!refNode.isTextual() || WireText.characters(refNode.asText()) > MAX_REF || !WireText.isWellFormed(refNode.asText())) {
        return new ClientFrame.Invalid(null, "ref must be a string of at most " + MAX_REF + " characters");
      }
      ref = refNode.asText();
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) return new ClientFrame.Invalid(ref, "missing type");
    try {
      return switch (type.asText()) {
        case "join" -> new ClientFrame.Join(ref, room(node), optionalSeq(node, "lastSeq"));
        case "leave" -> new ClientFrame.Leave(ref, room(node));
        case "send" -> new ClientFrame.Send(
            ref, room(node), string(node, "clientId", MAX_CLIENT_ID), string(node, "text", MAX_TEXT));
        case "edit" -> new ClientFrame.Edit(ref, room(node), seq(node, "target"), string(node, "text", MAX_TEXT));
        case "delete" -> new ClientFrame.Delete(ref, room(node), seq(node, "target"));
        case "typing" -> new ClientFrame.Typing(ref, room(node));
        case "read" -> new ClientFrame.Read(ref, room(node), seq(node, "seq"));
        case "presence" -> new ClientFrame.Presence(ref, presenceStatus(node));
        case "ping" -> new ClientFrame.Ping(ref);
        default -> new ClientFrame.Invalid(ref, "unknown type " + abbreviate(type.asText()));
      };
    } catch (BadField e) {
      return new ClientFrame.Invalid(ref, e.getMessage());
    }
  }

  private static String room(JsonNode node) {
    String room = string(node, "room", MAX_ROOM_ID);
    if (!RoomIds.isValid(room)) throw new BadField("room is not a room id");
    return room;
  }

  private static String string(JsonNode node, String field, int maxChars) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) throw new BadField("missing " + field);
    String text = value.asText();
    if (!WireText.isWellFormed(text)) throw new BadField(field + " holds a lone surrogate, which is no character");
    int chars = WireText.characters(text);
    if (chars == 0) throw new BadField(field + " is empty");
    if (chars > maxChars) throw new BadField(field + " is longer than " + maxChars + " characters");
    return text;
  }

  private static long seq(JsonNode node, String field) {
    Long seq = optionalSeq(node, field);
    if (seq == null) throw new BadField("missing " + field);
    return seq;
  }

  private static Long optionalSeq(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new BadField(field + " must be a non-negative integer");
    }
    return value.asLong();
  }

  private static String presenceStatus(JsonNode node) {
    String status = string(node, "status", MAX_REF);
    if (!status.equals("online") && !status.equals("away")) {
      throw new BadField("status must be online or away");
    }
    return status;
  }

  private static String abbreviate(String s) {
    return s.length() > MAX_REF ? s.substring(0, MAX_REF) + "…" : s;
  }

  /** A field that breaks the protocol; its message goes back in the error frame. */
  private static final class BadField extends RuntimeException {
    BadField(String message) {
      super(message, null, false, false);
    }
  }
}
