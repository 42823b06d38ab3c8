package pekkochat.balancer;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.HealthChecker;
import pekkochat.balancer.front.Front;
import pekkochat.balancer.proxy.BackendChoice;
import pekkochat.balancer.proxy.HttpProxy;
import pekkochat.balancer.status.StatusRoutes;

/**
 * The balancer's guardian: starts the backend pool and its health checks, the HTTP server (on a
 * loopback port) and, in front of it, the public port ({@link Front}), and registers the graceful
 * stop. What the HTTP server serves is routed in {@link #route}.
 */
public final class Balancer {

  private Balancer() {}

  public static Behavior<Void> create(BalancerSettings settings) {
    return Behaviors.setup(ctx -> {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);

      ActorRef<BackendPool.Command> pool =
          ctx.spawn(BackendPool.create(settings.backends(), settings.thresholds(), registry), "backend-pool");
      ctx.spawn(HealthChecker.create(settings.backends(), settings.health(), pool), "health-checker");

      BackendChoice choice = new BackendChoice(pool, ctx.getSystem().scheduler(), settings.askTimeout());
      // the front knows each HTTP connection's client; it exists once the HTTP server is bound
      CompletableFuture<Front> front = new CompletableFuture<>();
      HttpProxy httpProxy = new HttpProxy(ctx.getSystem(), choice, settings.proxy(),
          connection -> front.isDone() ? front.join().clientOf(connection) : Optional.empty());
      StatusRoutes status = new StatusRoutes(
          pool, registry, ctx.getSystem().scheduler(), Materializer.matFromSystem(ctx.getSystem()), settings.askTimeout());

      CompletionStage<ServerBinding> binding = Http.get(ctx.getSystem())
          .newServerAt(settings.httpServerHost(), 0)
          .bind((Function<HttpRequest, CompletionStage<HttpResponse>>) request -> route(request, httpProxy, status));
      binding.thenApply(b -> startFront(settings, choice, b)).whenComplete((f, e) -> {
        if (e != null) {
          ctx.getSystem().log().error("balancer cannot listen on {}:{}", settings.front().host(), settings.front().port(), e);
          front.completeExceptionally(e);
          ctx.getSystem().terminate();
        } else {
          front.complete(f);
          listening(ctx, settings, f);
        }
      });
      GracefulStop.register(ctx.getSystem(), binding, front, pool, settings);
      return Behaviors.empty();
    });
  }

  private static Front startFront(BalancerSettings settings, BackendChoice choice, ServerBinding httpServer) {
    try {
      return Front.start(settings.front(), choice, httpServer.localAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the front does not proxy itself: the balancer's own pages and plain HTTP. */
  private static CompletionStage<HttpResponse> route(HttpRequest request, HttpProxy httpProxy, StatusRoutes status) {
    // the balancer's own namespace: never proxied
    if (request.getUri().path().startsWith(StatusRoutes.PREFIX)) return status.handle(request);
    return httpProxy.handle(request);
  }

  private static void listening(ActorContext<Void> ctx, BalancerSettings settings, Front front) {
    try {
      ctx.getSystem().log().info("balancer listening on {} in front of {}", front.localAddress(), settings.backends());
    } catch (IOException closedAlready) {
      ctx.getSystem().log().info("balancer in front of {} stopped already", settings.backends());
    }
  }
}
