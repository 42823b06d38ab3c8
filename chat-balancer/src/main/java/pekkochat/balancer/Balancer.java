package pekkochat.balancer;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.HealthChecker;
import pekkochat.balancer.proxy.BackendChoice;
import pekkochat.balancer.proxy.HttpProxy;
import pekkochat.balancer.proxy.WebSocketProxy;
import pekkochat.balancer.status.StatusRoutes;

/**
 * The balancer's guardian: starts the backend pool and its health checks, binds the front door
 * and registers the graceful stop. Everything it serves is routed in {@link #route}.
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
      // one switch for every proxied socket: the graceful stop pulls it to end those still open
      SharedKillSwitch drainSwitch = KillSwitches.shared("balancer-drain");
      WebSocketProxy webSocketProxy = new WebSocketProxy(ctx.getSystem(), choice, settings.webSocket(), drainSwitch);
      HttpProxy httpProxy = new HttpProxy(ctx.getSystem(), choice, settings.proxy());
      StatusRoutes status = new StatusRoutes(
          pool, registry, ctx.getSystem().scheduler(), Materializer.matFromSystem(ctx.getSystem()), settings.askTimeout());

      CompletionStage<ServerBinding> binding = Http.get(ctx.getSystem())
          .newServerAt(settings.host(), settings.port())
          .bind((Function<HttpRequest, CompletionStage<HttpResponse>>) request -> route(request, settings, webSocketProxy, httpProxy, status));
      binding.whenComplete((b, e) -> bound(ctx, settings, b, e));
      GracefulStop.register(ctx.getSystem(), binding, pool, drainSwitch, settings);
      return Behaviors.empty();
    });
  }

  private static CompletionStage<HttpResponse> route(
      HttpRequest request, BalancerSettings settings, WebSocketProxy webSocketProxy, HttpProxy httpProxy, StatusRoutes status) {
    String path = request.getUri().path();
    // the balancer's own namespace: never proxied
    if (path.startsWith(StatusRoutes.PREFIX)) return status.handle(request);
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent() && path.equals(settings.webSocket().path())) {
      return webSocketProxy.handle(request, upgrade.get());
    }
    return httpProxy.handle(request);
  }

  private static void bound(ActorContext<Void> ctx, BalancerSettings settings, ServerBinding binding, Throwable error) {
    if (error != null) {
      ctx.getSystem().log().error("balancer cannot listen on {}:{}", settings.host(), settings.port(), error);
      ctx.getSystem().terminate();
    } else {
      ctx.getSystem().log().info("balancer listening on {} in front of {}", binding.localAddress(), settings.backends());
    }
  }
}
