package pekkochat.balancer.proxy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.CheckResult;
import pekkochat.balancer.backend.BackendPool;

/**
 * Proxies a WebSocket upgrade to the backend with the fewest open proxied sockets.
 *
 * <p>The upstream socket is opened first and the client's upgrade answered only after the backend
 * answered: 101 joins the two sockets, any other status (401, 403) goes back to the client as it
 * came. The two sockets are joined by Reactive Streams, so demand travels end to end: a client that
 * does not read stops the balancer reading from the node, whose own bounded queue then decides.
 *
 * <p>What passes: text and binary frames, each way, as they are (streamed frames stay streamed), and
 * the end of the socket from either side. What Pekko HTTP's public API does not let pass: ping and
 * pong (each hop answers its own pings, and each side of the balancer sends its own keep-alive
 * pings) and close codes (Pekko closes with 1000, or 1011 after a failure); hence the {@code
 * closing} frame the node sends before it closes, which reaches the client like any other frame.
 * When the node goes away without one (its process died), or the balancer stops, the balancer
 * sends a {@code closing} frame with reason {@code draining} itself, then closes.
 */
public final class WebSocketProxy {

  public record Settings(String path, String backendLostMessage, String drainingMessage, int maxAttempts) {}

  /** Why the balancer ended a socket the node had not ended. */
  public static final class Draining extends RuntimeException {
    public Draining() {
      super("balancer draining", null, false, false);
    }
  }

  private final Http http;
  private final Materializer materializer;
  private final BackendChoice choice;
  private final Settings settings;
  private final SharedKillSwitch drainSwitch;

  public WebSocketProxy(ActorSystem<?> system, BackendChoice choice, Settings settings, SharedKillSwitch drainSwitch) {
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.choice = choice;
    this.settings = settings;
    this.drainSwitch = drainSwitch;
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request, WebSocketUpgrade upgrade) {
    return attempt(request, upgrade, new HashSet<>(), settings.maxAttempts());
  }

  private CompletionStage<HttpResponse> attempt(HttpRequest request, WebSocketUpgrade upgrade, Set<BackendAddress> tried, int attemptsLeft) {
    return choice.choose(BackendPool.Kind.SOCKET, Set.copyOf(tried)).thenCompose(chosen -> {
      if (chosen.isEmpty()) return CompletableFuture.completedFuture(Responses.noBackend());
      BackendAddress backend = chosen.get();
      Upstream upstream = open(backend, request, upgrade);
      return upstream.answer().handle((answer, error) -> {
        if (error == null) return CompletableFuture.completedFuture(reply(answer, upstream, upgrade));
        // the upgrade never reached a 101: nothing went to the client yet, so another backend may take it
        choice.connectFailed(backend, error);
        tried.add(backend);
        if (attemptsLeft > 1) return attempt(request, upgrade, tried, attemptsLeft - 1);
        return CompletableFuture.completedFuture(Responses.backendFailed(CheckResult.describe(error)));
      }).thenCompose(r -> r);
    });
  }

  /** The upstream socket, opened before the client's upgrade is answered, with its two ends kept. */
  private record Upstream(CompletionStage<WebSocketUpgradeResponse> answer, Subscriber<Message> toNode, Publisher<Message> fromNode) {}

  private Upstream open(BackendAddress backend, HttpRequest request, WebSocketUpgrade upgrade) {
    WebSocketRequest upstreamRequest = WebSocketRequest.create(upstreamUri(backend, request));
    for (var header : ForwardedHeaders.forWebSocket(request)) upstreamRequest = upstreamRequest.addHeader(header);
    for (String protocol : upgrade.getRequestedProtocols()) upstreamRequest = upstreamRequest.requestSubprotocol(protocol);

    Pair<Pair<Subscriber<Message>, CompletionStage<WebSocketUpgradeResponse>>, Publisher<Message>> ends =
        Source.<Message>asSubscriber()
            .viaMat(http.webSocketClientFlow(upstreamRequest), Keep.both())
            // the socket counts as open until the upstream side ends, whichever way: this runs even
            // when the client vanished before its upgrade was answered and the client side never ran
            .watchTermination((mat, done) -> {
              done.whenComplete((d, e) -> choice.socketClosed(backend));
              return mat;
            })
            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
            .run(materializer);
    return new Upstream(ends.first().second(), ends.first().first(), ends.second());
  }

  private Uri upstreamUri(BackendAddress backend, HttpRequest request) {
    Uri uri = Uri.create("ws://" + backend.host() + ":" + backend.port() + request.getUri().path());
    Optional<String> query = request.getUri().rawQueryString();
    return query.map(uri::rawQueryString).orElse(uri);
  }

  private HttpResponse reply(WebSocketUpgradeResponse answer, Upstream upstream, WebSocketUpgrade upgrade) {
    if (!answer.isValid()) {
      // refused (401, 403, 503 ...): the client gets the node's answer; the upstream stream has ended
      HttpResponse refusal = answer.response();
      return refusal.withHeaders(ForwardedHeaders.endToEnd(refusal.getHeaders()));
    }
    Source<Message, ?> toClient = Source.fromPublisher(upstream.fromNode())
        .via(drainSwitch.flow())
        // a failure means the balancer drains or the upstream connection broke: the client is told
        // to reconnect, then its socket closes
        .recoverWithRetries(1, Draining.class, () -> Source.single(ClosingFrame.draining(settings.drainingMessage())))
        .recoverWithRetries(1, Throwable.class, () -> Source.single(ClosingFrame.draining(settings.backendLostMessage())))
        // Pekko ends the upstream normally both on the node's close frame and when the node's
        // process died (the kernel closed its TCP connection). A node that closes a socket on
        // purpose sends a closing frame first; if the last frame was not one, the node went away.
        .statefulMap(
            Optional::<Message>empty,
            (last, message) -> Pair.create(Optional.of(message), message),
            last -> last.filter(ClosingFrame::isClosing).isPresent()
                ? Optional.empty()
                : Optional.of(ClosingFrame.draining(settings.backendLostMessage())));
    Flow<Message, Message, ?> joined = Flow.fromSinkAndSourceCoupled(Sink.fromSubscriber(upstream.toNode()), toClient);
    return answer.chosenSubprotocol()
        .map(protocol -> upgrade.handleMessagesWith(joined, protocol))
        .orElseGet(() -> upgrade.handleMessagesWith(joined));
  }
}
