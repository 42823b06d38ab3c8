package pekkochat.connection;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import pekkochat.auth.Principal;

/**
 * Builds a socket's message flow: inbound frames go, one at a time with back-pressure, to its
 * ConnectionActor; outbound frames come from its bounded queue. Either side ending ends both.
 */
public final class SocketFlows {
  private final ActorRef<ConnectionManager.Command> manager;
  private final ActorSystem<?> system;
  private final SocketSettings settings;
  private final SocketMetrics metrics;
  private final Materializer materializer;
  private final Duration askTimeout;

  public SocketFlows(
      ActorRef<ConnectionManager.Command> manager, ActorSystem<?> system, SocketSettings settings, SocketMetrics metrics) {
    this.manager = manager;
    this.system = system;
    this.settings = settings;
    this.metrics = metrics;
    this.materializer = Materializer.matFromSystem(system);
    this.askTimeout = settings.askTimeout();
  }

  public CompletionStage<Flow<Message, Message, NotUsed>> open(Principal principal) {
    Pair<Outbound, Source<Message, NotUsed>> outbound = Outbound.create(settings, metrics, materializer);
    return AskPattern.<ConnectionManager.Command, ActorRef<ConnectionActor.Command>>ask(
            manager,
            replyTo -> new ConnectionManager.Open(principal, outbound.first(), replyTo),
            askTimeout,
            system.scheduler())
        .thenApply(connection -> flow(connection, outbound.second()));
  }

  private Flow<Message, Message, NotUsed> flow(
      ActorRef<ConnectionActor.Command> connection, Source<Message, NotUsed> outbound) {
    FrameDecoder decoder = new FrameDecoder(settings.maxFrameBytes(), materializer);
    Sink<Message, NotUsed> inbound =
        Flow.<Message>create()
            .mapAsync(1, decoder::decode)
            .to(
                ActorSink.<InboundFrame, ConnectionActor.Command, ConnectionActor.StreamAck>actorRefWithBackpressure(
                    connection,
                    ConnectionActor.FrameReceived::new,
                    ConnectionActor.StreamStarted::new,
                    ConnectionActor.StreamAck.INSTANCE,
                    new ConnectionActor.StreamEnded(),
                    failure -> new ConnectionActor.StreamEnded()));
    return Flow.fromSinkAndSourceCoupled(inbound, outbound);
  }
}
