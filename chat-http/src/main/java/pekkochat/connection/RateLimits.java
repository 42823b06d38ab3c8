package pekkochat.connection;

import com.typesafe.config.Config;
import java.util.EnumMap;
import java.util.Map;
import pekkochat.wire.ClientFrame;

/**
 * The per-socket rate limits of {@code chat.ws.rate-limit}: one token bucket for each client
 * frame type that makes the node work. {@code send}'s bucket keeps the section's top-level
 * {@code burst}/{@code per-second} (where operators and load tools already set it); every other
 * type has its own sub-section. Pings and malformed frames are not limited: a ping is one pong,
 * and a malformed frame is one error, both cheaper than the bucket that would count them.
 */
public record RateLimits(Map<Kind, Limit> limits) {

  /** The frame types that are limited, with their sub-section name. */
  public enum Kind {
    SEND, JOIN, LEAVE, EDIT, DELETE, READ, TYPING, PRESENCE;

    String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A bucket's size and refill rate. */
  public record Limit(int burst, double perSecond) {}

  public RateLimits {
    limits = Map.copyOf(limits);
  }

  static RateLimits fromConfig(Config rateLimit) {
    Map<Kind, Limit> limits = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      Config section = kind == Kind.SEND ? rateLimit : rateLimit.getConfig(kind.configName());
      limits.put(kind, new Limit(section.getInt("burst"), section.getDouble("per-second")));
    }
    return new RateLimits(limits);
  }

  Limit of(Kind kind) {
    return limits.get(kind);
  }

  /** The bucket a frame draws from, or null for a frame that is not limited. */
  static Kind kindOf(ClientFrame frame) {
    if (frame instanceof ClientFrame.Send) return Kind.SEND;
    if (frame instanceof ClientFrame.Join) return Kind.JOIN;
    if (frame instanceof ClientFrame.Leave) return Kind.LEAVE;
    if (frame instanceof ClientFrame.Edit) return Kind.EDIT;
    if (frame instanceof ClientFrame.Delete) return Kind.DELETE;
    if (frame instanceof ClientFrame.Read) return Kind.READ;
    if (frame instanceof ClientFrame.Typing) return Kind.TYPING;
    if (frame instanceof ClientFrame.Presence) return Kind.PRESENCE;
    return null;
  }
}
