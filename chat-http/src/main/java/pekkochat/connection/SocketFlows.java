package pekkochat.connection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import pekkochat.auth.Principal;

/**
 * Opens sockets: a ConnectionActor per socket, and the socket's stream, which is its
 * {@link FrameLayer} holding its {@link Outbound} queue. Nothing else runs per socket: no
 * separate queue stream, no stream actor but the connection's own, no timer but the idle and
 * credential ones (pings come from the node's one {@link Heartbeat}).
 */
public final class SocketFlows {
  private final ActorRef<ConnectionManager.Command> manager;
  private final ActorSystem<?> system;
  private final SocketSettings settings;
  private final SocketMetrics metrics;
  private final Heartbeat heartbeat;
  private final Duration askTimeout;

  public SocketFlows(
      ActorRef<ConnectionManager.Command> manager, ActorSystem<?> system, SocketSettings settings, SocketMetrics metrics) {
    this.manager = manager;
    this.system = system;
    this.settings = settings;
    this.metrics = metrics;
    this.heartbeat = new Heartbeat(system, settings.pingInterval(), settings.pingSlices());
    metrics.watchQueues(heartbeat::queuedTotal, heartbeat::deepestQueue);
    this.askTimeout = settings.askTimeout();
  }

  /** The upgrade's 101 answer for {@code principal}, or empty when the user is at the socket cap. */
  public CompletionStage<Optional<HttpResponse>> open(Principal principal, WebSocketUpgrade upgrade) {
    Outbound outbound = new Outbound(settings, metrics, heartbeat);
    return AskPattern.<ConnectionManager.Command, Optional<ActorRef<ConnectionActor.Command>>>ask(
            manager,
            replyTo -> new ConnectionManager.Open(principal, outbound, replyTo),
            askTimeout,
            system.scheduler())
        .thenApply(connection -> connection.map(c ->
            FrameLayer.accept(upgrade, new FrameLayer(outbound, receiver(c), settings.maxFrameBytes()))));
  }

  private static FrameLayer.Receiver receiver(ActorRef<ConnectionActor.Command> connection) {
    return new FrameLayer.Receiver() {
      @Override
      public void text(String text) {
        connection.tell(new ConnectionActor.TextReceived(text));
      }

      @Override
      public void refused(CloseReason reason) {
        connection.tell(new ConnectionActor.Refused(reason));
      }

      @Override
      public void ended() {
        connection.tell(new ConnectionActor.StreamEnded());
      }
    };
  }
}
