package pekkochat.connection;

import com.typesafe.config.Config;
import java.time.Duration;

/** The bounds of one socket, from {@code chat.ws} in application.conf. */
public record SocketSettings(
    int maxFrameBytes,
    int outboundQueueSize,
    int maxServerFrameBytes,
    int latencySampleEvery,
    int maxSocketsPerUser,
    Duration idleTimeout,
    Duration pingInterval,
    int pingSlices,
    Duration closeGrace,
    RateLimits rateLimits,
    Duration askTimeout,
    Duration writeTimeout) {

  public static SocketSettings fromConfig(Config chat) {
    Config ws = chat.getConfig("ws");
    return new SocketSettings(
        ws.getInt("max-frame-bytes"),
        ws.getInt("outbound-queue-size"),
        ws.getInt("max-server-frame-bytes"),
        ws.getInt("latency-sample-every"),
        ws.getInt("max-sockets-per-user"),
        ws.getDuration("idle-timeout"),
        ws.getDuration("ping-interval"),
        ws.getInt("ping-slices"),
        ws.getDuration("close-grace"),
        RateLimits.fromConfig(ws.getConfig("rate-limit")),
        chat.getDuration("room.ask-timeout"),
        ws.getDuration("write-timeout"));
  }
}
