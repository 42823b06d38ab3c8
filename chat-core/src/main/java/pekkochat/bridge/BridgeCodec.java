package pekkochat.bridge;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import pekkochat.presence.PresenceEntry;
import pekkochat.presence.PresenceStatus;
import pekkochat.room.EncodedEvent;
import pekkochat.room.RoomProtocol;

/**
 * The bridge's wire: room commands and their replies between nodes, and room events on a room's
 * channel, as JSON. An actor ref cannot cross between nodes that are not one cluster, so a
 * message's refs are left out and, where it is read, stood in for by local ones (the receiving
 * node's reply forwarder, the follower's own ref). Only the room protocol's own message types are
 * read: a type name from the wire picks from them, never any class.
 */
final class BridgeCodec {
  /** What a room channel carries: an event, an ephemeral frame, or word that the room restarted. */
  sealed interface ChannelMessage {
    String origin();
  }

  record ChannelEvent(String origin, EncodedEvent event) implements ChannelMessage {}

  record ChannelEphemeral(String origin, String json, String exceptUser) implements ChannelMessage {}

  record ChannelReset(String origin) implements ChannelMessage {}

  /** A node's presence statement of one user (null entry: no socket of theirs there any more), or its leaving. */
  record PresenceChange(String origin, String user, PresenceEntry entry) {}

  record NodeLeft(String origin) {}

  /** What a node's inbox carries: a command for a room it writes, or a reply to one of its own. */
  sealed interface InboxMessage {}

  record CommandIn(String from, long id, String room, Class<? extends RoomProtocol.Command> type, JsonNode body)
      implements InboxMessage {}

  record ReplyIn(long id, Class<?> type, JsonNode body) implements InboxMessage {}

  private static final String REF_PLACEHOLDER = "ref";

  private final ObjectMapper mapper;
  private final Map<String, Class<? extends RoomProtocol.Command>> commandTypes = new HashMap<>();
  private final Map<String, Class<?>> replyTypes = new HashMap<>();

  BridgeCodec() {
    SimpleModule refs = new SimpleModule("bridge-refs");
    refs.addSerializer(ActorRef.class, new RefSerializer());
    refs.addDeserializer(ActorRef.class, new RefDeserializer(null));
    this.mapper = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(refs)
        .build();
    for (Class<?> type : RoomProtocol.class.getDeclaredClasses()) {
      if (!type.isRecord()) continue;
      if (RoomProtocol.Command.class.isAssignableFrom(type)) {
        commandTypes.put(type.getSimpleName(), type.asSubclass(RoomProtocol.Command.class));
      } else {
        replyTypes.put(type.getSimpleName(), type);
      }
    }
  }

  byte[] command(String from, long id, String room, RoomProtocol.Command command) {
    ObjectNode envelope = mapper.createObjectNode()
        .put("k", "c").put("from", from).put("id", id).put("room", room).put("t", command.getClass().getSimpleName());
    envelope.set("b", mapper.valueToTree(command));
    return write(envelope);
  }

  byte[] reply(long id, Object reply) {
    ObjectNode envelope = mapper.createObjectNode().put("k", "r").put("id", id).put("t", reply.getClass().getSimpleName());
    envelope.set("b", mapper.valueToTree(reply));
    return write(envelope);
  }

  InboxMessage inbox(byte[] message) {
    JsonNode envelope = read(message);
    String type = envelope.path("t").asText();
    if ("c".equals(envelope.path("k").asText())) {
      Class<? extends RoomProtocol.Command> commandType = known(commandTypes, type);
      return new CommandIn(envelope.path("from").asText(), envelope.path("id").asLong(), envelope.path("room").asText(),
          commandType, envelope.path("b"));
    }
    return new ReplyIn(envelope.path("id").asLong(), known(replyTypes, type), envelope.path("b"));
  }

  /** A command as this node's room takes it, with {@code replyTo} and {@code subscriber} local refs. */
  RoomProtocol.Command command(CommandIn in, ActorRef<?> replyTo, ActorRef<?> subscriber) {
    return readBody(in.body(), in.type(), Map.of("replyTo", replyTo, "subscriber", subscriber));
  }

  /** A reply as the asker takes it; {@code roomActor} (a join's) is the follower's own ref. */
  Object reply(ReplyIn in, ActorRef<?> roomActor) {
    return readBody(in.body(), in.type(), Map.of("roomActor", roomActor));
  }

  byte[] event(String origin, EncodedEvent event) {
    return write(mapper.createObjectNode().put("k", "e").put("o", origin).put("seq", event.seq())
        .put("p", event.persistedAtNanos()).put("j", event.json()).put("r", event.revokes()));
  }

  byte[] ephemeral(String origin, String json, String exceptUser) {
    return write(mapper.createObjectNode().put("k", "x").put("o", origin).put("j", json).put("u", exceptUser));
  }

  byte[] reset(String origin) {
    return write(mapper.createObjectNode().put("k", "reset").put("o", origin));
  }

  byte[] presence(String origin, String user, PresenceEntry entry) {
    ObjectNode node = mapper.createObjectNode().put("k", "p").put("o", origin).put("u", user);
    if (entry != null) node.put("e", entryText(entry));
    return write(node);
  }

  byte[] nodeLeft(String origin) {
    return write(mapper.createObjectNode().put("k", "left").put("o", origin));
  }

  /** A {@link PresenceChange} or a {@link NodeLeft}. */
  Object presence(byte[] message) {
    JsonNode node = read(message);
    String origin = node.path("o").asText();
    if ("left".equals(node.path("k").asText())) return new NodeLeft(origin);
    String entry = textOrNull(node.path("e"));
    return new PresenceChange(origin, node.path("u").asText(), entry == null ? null : entry(entry));
  }

  /** An entry as a presence hash keeps it: {@code status|statedAtMillis}. */
  static String entryText(PresenceEntry entry) {
    return entry.status().wireName() + "|" + entry.statedAtMillis();
  }

  static PresenceEntry entry(String text) {
    int bar = text.indexOf('|');
    return new PresenceEntry(PresenceStatus.valueOf(text.substring(0, bar).toUpperCase(java.util.Locale.ROOT)),
        Long.parseLong(text.substring(bar + 1)));
  }

  ChannelMessage channel(String room, byte[] message) {
    JsonNode node = read(message);
    String origin = node.path("o").asText();
    return switch (node.path("k").asText()) {
      case "e" -> new ChannelEvent(origin, new EncodedEvent(room, node.path("seq").asLong(), node.path("p").asLong(),
          node.path("j").asText(), textOrNull(node.path("r"))));
      case "x" -> new ChannelEphemeral(origin, node.path("j").asText(), textOrNull(node.path("u")));
      case "reset" -> new ChannelReset(origin);
      default -> throw new IllegalArgumentException("unknown room channel message " + node.path("k").asText());
    };
  }

  private static String textOrNull(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static <T> T known(Map<String, T> types, String name) {
    T type = types.get(name);
    if (type == null) throw new IllegalArgumentException("not a room protocol message: " + name);
    return type;
  }

  private <T> T readBody(JsonNode body, Class<T> type, Map<String, ActorRef<?>> refs) {
    try {
      var reader = mapper.readerFor(type);
      for (var ref : refs.entrySet()) reader = reader.withAttribute(ref.getKey(), ref.getValue());
      return reader.readValue(mapper.treeAsTokens(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode read(byte[] message) {
    try {
      return mapper.readTree(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("rawtypes")
  private static final class RefSerializer extends StdSerializer<ActorRef> {
    RefSerializer() {
      super(ActorRef.class);
    }

    @Override
    public void serialize(ActorRef ref, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(REF_PLACEHOLDER);
    }
  }

  /** Reads a ref property as the local ref the reader was given under the property's name. */
  @SuppressWarnings("rawtypes")
  private static final class RefDeserializer extends StdDeserializer<ActorRef> implements ContextualDeserializer {
    private final String property;

    RefDeserializer(String property) {
      super(ActorRef.class);
      this.property = property;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty beanProperty) {
      return new RefDeserializer(beanProperty == null ? null : beanProperty.getName());
    }

    @Override
    public ActorRef deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
      parser.skipChildren();
      return local(ctxt);
    }

    @Override
    public ActorRef getNullValue(DeserializationContext ctxt) {
      return local(ctxt);
    }

    private ActorRef local(DeserializationContext ctxt) {
      return property == null ? null : (ActorRef) ctxt.getAttribute(property);
    }
  }
}
