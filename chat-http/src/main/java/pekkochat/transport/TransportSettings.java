package pekkochat.transport;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * Where and how the node listens (chat.http and its transport block; backlog and connection cap
 * from pekko.http.server, which documents them).
 */
public record TransportSettings(
    String host, int port, int backlog, int maxConnections, int selectorThreads, int readBufferBytes,
    Duration acceptErrorPause) {

  public static TransportSettings from(Config http, ActorSystem<?> system) {
    Config transport = http.getConfig("transport");
    ServerSettings server = ServerSettings.create(system.classicSystem());
    return new TransportSettings(http.getString("host"), http.getInt("port"), server.getBacklog(),
        server.getMaxConnections(),
        transport.getInt("selector-threads"), (int) transport.getBytes("read-buffer").longValue(),
        transport.getDuration("accept-error-pause"));
  }
}
