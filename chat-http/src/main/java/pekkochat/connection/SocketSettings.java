package pekkochat.connection;

import com.typesafe.config.Config;
import java.time.Duration;

/** The bounds of one socket, from {@code chat.ws} in application.conf. */
public record SocketSettings(
    int maxFrameBytes,
    int outboundQueueSize,
    int maxFrameChars,
    Duration idleTimeout,
    Duration closeGrace,
    int rateLimitBurst,
    double rateLimitPerSecond,
    Duration askTimeout) {

  public static SocketSettings fromConfig(Config chat) {
    Config ws = chat.getConfig("ws");
    return new SocketSettings(
        ws.getInt("max-frame-bytes"),
        ws.getInt("outbound-queue-size"),
        ws.getInt("max-frame-chars"),
        ws.getDuration("idle-timeout"),
        ws.getDuration("close-grace"),
        ws.getInt("rate-limit.burst"),
        ws.getDouble("rate-limit.per-second"),
        chat.getDuration("room.ask-timeout"));
  }
}
