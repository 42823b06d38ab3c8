package pekkochat.balancer;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.HealthChecker;
import pekkochat.balancer.front.Front;
import pekkochat.balancer.proxy.HttpProxy;
import pekkochat.balancer.relay.UpgradeAnswerReader;

/** The {@code balancer} section of the configuration, read once at start. */
public record BalancerSettings(
    Front.Settings front,
    /** where the balancer's own Pekko HTTP server listens, behind the front */
    String httpServerHost,
    List<BackendAddress> backends,
    HealthChecker.Settings health,
    BackendPool.Thresholds thresholds,
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
    Config front = c.getConfig("front");
    return new BalancerSettings(
        new Front.Settings(
            c.getString("http.host"),
            c.getInt("http.port"),
            front.getInt("backlog"),
            front.getInt("loops"),
            (int) front.getBytes("read-buffer").longValue(),
            (int) front.getBytes("max-request-head-bytes").longValue(),
            // a socket that moves no byte for this long is closed, as the HTTP server closes its idle connections
            root.getDuration("pekko.http.server.idle-timeout"),
            front.getDuration("sweep-interval"),
            new Front.WebSocket(
                ws.getString("path"),
                ws.getInt("max-attempts"),
                ws.getDuration("connect-timeout"),
                new UpgradeAnswerReader.Limits(
                    (int) ws.getBytes("handshake.max-head-bytes").longValue(),
                    (int) ws.getBytes("handshake.max-refusal-body-bytes").longValue(),
                    ws.getDuration("handshake.timeout")),
                ws.getString("backend-lost-message"),
                ws.getString("draining-message"),
                ws.getBytes("max-held-frame-bytes"))),
        front.getString("http-server-host"),
        BackendAddress.parseList(c.getString("backends")),
        new HealthChecker.Settings(health.getString("path"), health.getDuration("interval"), health.getDuration("timeout")),
        new BackendPool.Thresholds(health.getInt("rise"), health.getInt("fall"), health.getInt("fall-when-not-ready")),
        new HttpProxy.Settings(
            proxy.getInt("max-attempts"),
            proxy.getBytes("retry-body-max-bytes"),
            proxy.getDuration("retry-body-timeout"),
            proxy.getStringList("private-paths")),
        new Drain(shutdown.getDuration("drain-timeout"), shutdown.getDuration("poll-interval"), shutdown.getDuration("close-grace")),
        c.getDuration("status.ask-timeout"));
  }
}
