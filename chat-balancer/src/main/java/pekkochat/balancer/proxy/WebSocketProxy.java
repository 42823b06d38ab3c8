package pekkochat.balancer.proxy;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.SharedKillSwitch;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.CheckResult;
import pekkochat.balancer.relay.BackendSocket;
import pekkochat.balancer.relay.FrameRelay;
import pekkochat.balancer.relay.Frames;
import pekkochat.balancer.relay.UpgradeAnswer;
import pekkochat.balancer.relay.UpgradeRequest;

/**
 * Proxies a WebSocket upgrade to the backend with the fewest open proxied sockets.
 *
 * <p>The upstream connection is opened first, on raw TCP, with the upgrade written by the balancer
 * ({@link UpgradeRequest}); the client's upgrade is answered only after the backend answered: 101
 * joins the two sockets frame by frame ({@link FrameRelay}), any other status (401, 403, 429)
 * goes back to the client as it came, body included. Frames are not decoded: client frames go on
 * masked as they came, backend frames are parsed only as far as their headers, so the balancer
 * knows where one ends. Ping, pong and close frames pass too, so the client and the node keep
 * each other alive and see each other's close codes.
 */
public final class WebSocketProxy {

  public record Settings(String path, int maxAttempts, BackendSocket.Settings backend, FrameRelay.Settings relay) {}

  private final ActorSystem<?> system;
  private final BackendChoice choice;
  private final Settings settings;
  private final SharedKillSwitch drainSwitch;

  public WebSocketProxy(ActorSystem<?> system, BackendChoice choice, Settings settings, SharedKillSwitch drainSwitch) {
    this.system = system;
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
      BackendSocket upstream = BackendSocket.open(system, InetSocketAddress.createUnresolved(backend.host(), backend.port()),
          upgradeRequest(request, upgrade), settings.backend(), () -> choice.socketClosed(backend));
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

  /** Same path and query; the client's relevant headers (ForwardedHeaders); its requested subprotocols. */
  private static UpgradeRequest upgradeRequest(HttpRequest request, WebSocketUpgrade upgrade) {
    String target = request.getUri().path() + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    return UpgradeRequest.create(target, ForwardedHeaders.forWebSocket(request), upgrade.getRequestedProtocols());
  }

  private HttpResponse reply(UpgradeAnswer answer, BackendSocket upstream, WebSocketUpgrade upgrade) {
    if (answer instanceof UpgradeAnswer.Refused refused) {
      // refused (401, 403, 429, 503 ...): the client gets the node's answer; the upstream connection has ended
      return refused.response().withHeaders(ForwardedHeaders.endToEnd(refused.response().getHeaders()));
    }
    Optional<String> subprotocol = ((UpgradeAnswer.Accepted) answer).subprotocol();
    return Frames.accept(upgrade, upstream.relay(settings.relay(), drainSwitch), subprotocol);
  }
}
