package pekkochat.balancer.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.stream.Materializer;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.CheckResult;
import pekkochat.balancer.backend.BackendPool;

/**
 * Proxies a plain HTTP request to a usable backend, in turn. Bodies stream both ways; only the body
 * of an idempotent request small enough to hold is collected first, so that the request can be
 * sent once more to another backend when the first one cannot be reached.
 */
public final class HttpProxy {

  public record Settings(int maxAttempts, long retryBodyMaxBytes, Duration retryBodyTimeout, List<String> privatePaths) {}

  /**
   * Who the client is: every request reaches this server through the front's loopback connection,
   * whose address this maps to the client's (empty if the front no longer knows it).
   */
  public interface ClientAddresses {
    Optional<InetAddress> clientOf(InetSocketAddress frontConnection);
  }

  private final Http http;
  private final Materializer materializer;
  private final BackendChoice choice;
  private final Settings settings;
  private final ClientAddresses clients;

  public HttpProxy(ActorSystem<?> system, BackendChoice choice, Settings settings, ClientAddresses clients) {
    this.clients = clients;
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.choice = choice;
    this.settings = settings;
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    if (settings.privatePaths().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
      return request.discardEntityBytes(materializer).completionStage().thenApply(d -> Responses.notFound().toResponse());
    }
    if (!canRetry(request)) return attempt(request, new HashSet<>(), 1);
    return request.entity()
        .toStrict(settings.retryBodyTimeout().toMillis(), settings.retryBodyMaxBytes(), materializer)
        .thenCompose(body -> attempt(request.withEntity(body), new HashSet<>(), settings.maxAttempts()));
  }

  /** Idempotent (RFC 9110 section 9.2.2) and its body, if any, is small enough to hold for a resend. */
  private boolean canRetry(HttpRequest request) {
    if (!request.method().isIdempotent()) return false;
    HttpEntity entity = request.entity();
    if (entity.isKnownEmpty()) return true;
    var length = entity.getContentLengthOption();
    return length.isPresent() && length.getAsLong() <= settings.retryBodyMaxBytes();
  }

  private CompletionStage<HttpResponse> attempt(HttpRequest request, Set<BackendAddress> tried, int attemptsLeft) {
    return choice.choose(BackendPool.Kind.REQUEST, Set.copyOf(tried)).thenCompose(chosen -> {
      if (chosen.isEmpty()) {
        return request.discardEntityBytes(materializer).completionStage().thenApply(d -> Responses.noBackend().toResponse());
      }
      BackendAddress backend = chosen.get();
      return http.singleRequest(upstream(backend, request)).handle((response, error) -> {
        if (error == null) {
          return CompletableFuture.completedFuture(response.withHeaders(ForwardedHeaders.endToEnd(response.getHeaders())));
        }
        if (Failures.isConnectFailure(error)) choice.connectFailed(backend, error);
        tried.add(backend);
        // attemptsLeft > 1 only for idempotent requests whose body is held (see handle)
        if (attemptsLeft > 1) return attempt(request, tried, attemptsLeft - 1);
        return CompletableFuture.completedFuture(Responses.backendFailed(CheckResult.describe(error)).toResponse());
      }).thenCompose(r -> r);
    });
  }

  private HttpRequest upstream(BackendAddress backend, HttpRequest request) {
    Uri original = request.getUri();
    Uri target = Uri.create("http://" + backend.host() + ":" + backend.port() + original.path());
    target = original.rawQueryString().map(target::rawQueryString).orElse(target);
    Optional<InetAddress> client = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress().map(ip -> new InetSocketAddress(ip, a.getPort())))
        .flatMap(clients::clientOf);
    return request.withUri(target).withHeaders(ForwardedHeaders.forHttp(request, client));
  }
}
