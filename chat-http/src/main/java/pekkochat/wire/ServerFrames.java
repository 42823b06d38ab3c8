package pekkochat.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import pekkochat.presence.PresenceStatus;
import pekkochat.room.EventEncoder;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomEvent;
import pekkochat.room.SequencedEvent;

/**
 * Server frames of PROTOCOL.md section 4 as JSON text. Writes straight to a generator: no tree,
 * no reflection, since every timeline event passes here once.
 */
public final class ServerFrames implements EventEncoder {
  private final JsonFactory json;

  public ServerFrames(JsonFactory json) {
    this.json = json;
  }

  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private String frame(String type, String ref, Body body) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", type);
      body.write(g);
      if (ref != null) g.writeStringField("ref", ref);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public String encode(SequencedEvent e) {
    RoomEvent event = e.event();
    String type;
    Body fields;
    if (event instanceof RoomEvent.MessagePosted m) {
      type = "message";
      fields = g -> {
        g.writeStringField("text", m.text());
        g.writeStringField("clientId", m.clientId());
      };
    } else if (event instanceof RoomEvent.MessageEdited m) {
      type = "edited";
      fields = g -> {
        g.writeNumberField("target", m.target());
        g.writeStringField("text", m.text());
      };
    } else if (event instanceof RoomEvent.MessageDeleted m) {
      type = "deleted";
      fields = g -> g.writeNumberField("target", m.target());
    } else if (event instanceof RoomEvent.MemberChanged m) {
      type = "member";
      fields = g -> {
        g.writeStringField("target", m.target());
        g.writeStringField("action", m.action().wireName());
        if (m.role() != null) g.writeStringField("role", m.role().wireName());
      };
    } else if (event instanceof RoomEvent.RoomCreated c) {
      // The creation reads, to clients, as the owner joining their new room.
      type = "member";
      fields = g -> {
        g.writeStringField("target", c.user());
        g.writeStringField("action", RoomEvent.MemberAction.JOINED.wireName());
        g.writeStringField("role", pekkochat.room.Role.OWNER.wireName());
      };
    } else {
      throw new IllegalArgumentException("unknown event " + event.getClass());
    }
    return frame(type, null, g -> {
      g.writeStringField("room", e.room());
      g.writeNumberField("seq", e.seq());
      g.writeNumberField("ts", event.ts());
      g.writeStringField("user", event.user());
      fields.write(g);
    });
  }

  @Override
  public String typing(String room, String user) {
    return frame("typing", null, g -> {
      g.writeStringField("room", room);
      g.writeStringField("user", user);
    });
  }

  @Override
  public String read(String room, String user, long seq) {
    return frame("read", null, g -> {
      g.writeStringField("room", room);
      g.writeStringField("user", user);
      g.writeNumberField("seq", seq);
    });
  }

  /** {@code presence {user,status}}: from the node's presence replica, not from a room. */
  public String presence(String user, String status) {
    return frame("presence", null, g -> {
      g.writeStringField("user", user);
      g.writeStringField("status", status);
    });
  }

  /** {@code presence} holds each member's status by name; one missing is offline. */
  public String joined(RoomActor.Joined j, Map<String, PresenceStatus> presence, String ref) {
    return frame("joined", ref, g -> {
      g.writeStringField("room", j.room());
      g.writeNumberField("seq", j.head());
      g.writeNumberField("firstSeq", j.firstSeq());
      g.writeArrayFieldStart("members");
      for (RoomActor.MemberView m : j.members()) {
        g.writeStartObject();
        g.writeStringField("user", m.user());
        g.writeStringField("role", m.role().wireName());
        g.writeStringField("presence", presence.getOrDefault(m.user(), PresenceStatus.OFFLINE).wireName());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("reads");
      for (Map.Entry<String, Long> read : j.reads().entrySet()) g.writeNumberField(read.getKey(), read.getValue());
      g.writeEndObject();
    });
  }

  public String ack(RoomActor.Acked a, String ref) {
    return frame("ack", ref, g -> {
      g.writeStringField("room", a.room());
      g.writeStringField("clientId", a.clientId());
      g.writeNumberField("seq", a.seq());
      g.writeNumberField("ts", a.ts());
    });
  }

  /** The ack of an edit, delete or read: no clientId; {@code seq} is the event's or the mark's. */
  public String ack(RoomActor.Applied a, String ref) {
    return frame("ack", ref, g -> {
      g.writeStringField("room", a.room());
      g.writeNumberField("seq", a.seq());
      g.writeNumberField("ts", a.ts());
    });
  }

  public String left(String room, String ref) {
    return frame("left", ref, g -> g.writeStringField("room", room));
  }

  public String pong(String ref) {
    return frame("pong", ref, g -> {});
  }

  public String error(String code, String message, String ref) {
    return frame("error", ref, g -> {
      g.writeStringField("code", code);
      g.writeStringField("message", message);
    });
  }

  public String closing(String reason, String message) {
    return frame("closing", null, g -> {
      g.writeStringField("reason", reason);
      g.writeStringField("message", message);
    });
  }

  /** {@code {"events":[…]}} from events already encoded: history pages are never re-encoded. */
  public static String eventsPage(List<String> events) {
    StringBuilder sb = new StringBuilder(16 + events.size() * 128).append("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append(events.get(i));
    }
    return sb.append("]}").toString();
  }
}
