package pekkochat.balancer;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.HealthChecker;
import pekkochat.balancer.proxy.HttpProxy;
import pekkochat.balancer.proxy.WebSocketProxy;
import pekkochat.balancer.relay.BackendSocket;
import pekkochat.balancer.relay.FrameRelay;
import pekkochat.balancer.relay.HandshakeStage;

/** The {@code balancer} section of the configuration, read once at start. */
public record BalancerSettings(
    String host,
    int port,
    List<BackendAddress> backends,
    HealthChecker.Settings health,
    BackendPool.Thresholds thresholds,
    WebSocketProxy.Settings webSocket,
    HttpProxy.Settings proxy,
    Drain drain,
    Duration askTimeout) {

  /** How a stopping balancer lets its sockets go. */
  public record Drain(Duration timeout, Duration pollInterval, Duration closeGrace) {}

  public static BalancerSettings fromConfig(Config root) {
    Config c = root.getConfig("balancer");
    Config health = c.getConfig("health");
    Config ws = c.getConfig("websocket");
    Config proxy = c.getConfig("proxy");
    Config shutdown = c.getConfig("shutdown");
    return new BalancerSettings(
        c.getString("http.host"),
        c.getInt("http.port"),
        BackendAddress.parseList(c.getString("backends")),
        new HealthChecker.Settings(health.getString("path"), health.getDuration("interval"), health.getDuration("timeout")),
        new BackendPool.Thresholds(health.getInt("rise"), health.getInt("fall"), health.getInt("fall-when-not-ready")),
        new WebSocketProxy.Settings(
            ws.getString("path"),
            ws.getInt("max-attempts"),
            new BackendSocket.Settings(
                ws.getDuration("connect-timeout"),
                new HandshakeStage.Limits(
                    (int) ws.getBytes("handshake.max-head-bytes").longValue(),
                    (int) ws.getBytes("handshake.max-refusal-body-bytes").longValue(),
                    ws.getDuration("handshake.timeout")),
                ws.getInt("reads-ahead")),
            new FrameRelay.Settings(
                ws.getString("backend-lost-message"),
                ws.getString("draining-message"),
                ws.getBytes("max-held-frame-bytes"))),
        new HttpProxy.Settings(
            proxy.getInt("max-attempts"),
            proxy.getBytes("retry-body-max-bytes"),
            proxy.getDuration("retry-body-timeout"),
            proxy.getStringList("private-paths")),
        new Drain(shutdown.getDuration("drain-timeout"), shutdown.getDuration("poll-interval"), shutdown.getDuration("close-grace")),
        c.getDuration("status.ask-timeout"));
  }
}
