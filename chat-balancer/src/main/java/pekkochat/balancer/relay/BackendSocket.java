package pekkochat.balancer.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * A proxied socket's raw TCP connection to its backend. It is opened, and the upgrade written and
 * read, before the client's upgrade is answered; once the client's side runs, {@link #relay} joins
 * the two by Reactive Streams (demand travels end to end) through a {@link FrameRelay}.
 */
public final class BackendSocket {

  /**
   * How a backend connection is made (connect timeout, handshake bounds), and how many of its
   * reads the client's side requests ahead (Pekko's default is up to 16).
   */
  public record Settings(Duration connectTimeout, HandshakeStage.Limits handshake, int readsAhead) {}

  private final CompletionStage<UpgradeAnswer> answer;
  private final Subscriber<ByteString> toBackend;
  private final Publisher<ByteString> fromBackend;
  private final int readsAhead;

  private BackendSocket(
      CompletionStage<UpgradeAnswer> answer, Subscriber<ByteString> toBackend, Publisher<ByteString> fromBackend, int readsAhead) {
    this.answer = answer;
    this.readsAhead = readsAhead;
    this.toBackend = toBackend;
    this.fromBackend = fromBackend;
  }

  /**
   * Connects and sends {@code request}. {@code onEnd} runs once the connection has ended, whichever
   * side ended it, and also when the client's side never ran (a refusal, or a client gone early).
   */
  public static BackendSocket open(
      ActorSystem<?> system, InetSocketAddress backend, UpgradeRequest request, Settings settings, Runnable onEnd) {
    // halfClose off: when either direction ends, the connection closes (a proxied socket has no half-open state)
    Flow<ByteString, ByteString, ?> tcp = Tcp.get(system)
        .outgoingConnection(backend, Optional.empty(), List.of(), false, Optional.of(settings.connectTimeout()), Optional.empty());
    Pair<Pair<Subscriber<ByteString>, CompletionStage<UpgradeAnswer>>, Publisher<ByteString>> ends =
        Source.<ByteString>asSubscriber()
            .prepend(Source.single(request.bytes()))
            .via(tcp)
            .viaMat(Flow.fromGraph(new HandshakeStage(request, settings.handshake())), Keep.both())
            .watchTermination((mat, done) -> {
              done.whenComplete((d, e) -> onEnd.run());
              return mat;
            })
            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
            .run(Materializer.matFromSystem(system));
    return new BackendSocket(ends.first().second(), ends.first().first(), ends.second(), settings.readsAhead());
  }

  /** The backend's answer to the upgrade; fails if the connection or the handshake failed. */
  public CompletionStage<UpgradeAnswer> answer() {
    return answer;
  }

  /**
   * The client side's frame handler, for {@link Frames#accept} once the answer was a 101. {@code
   * drain} ends the socket with a {@code closing} frame (reason draining) when it is aborted with
   * {@link Draining}.
   */
  public Flow<FrameEvent, FrameEvent, NotUsed> relay(FrameRelay.Settings settings, SharedKillSwitch drain) {
    Flow<FrameEvent, FrameEvent, NotUsed> backend = Flow.fromSinkAndSource(
        Frames.renderer().to(Sink.fromSubscriber(toBackend)),
        // a client that does not read holds at most this many of the backend's reads in the balancer
        Source.fromPublisher(fromBackend).withAttributes(Attributes.inputBuffer(readsAhead, readsAhead))
            .via(Frames.parser()).via(drain.flow()));
    return BidiFlow.fromGraph(new FrameRelay(settings)).join(backend);
  }
}
