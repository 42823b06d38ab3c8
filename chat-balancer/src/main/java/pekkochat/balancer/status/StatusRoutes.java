package pekkochat.balancer.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Materializer;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.BackendState;

/** The balancer's own pages: {@code /balancer/status} (JSON) and {@code /balancer/metrics} (Prometheus text). */
public final class StatusRoutes {

  public static final String PREFIX = "/balancer/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActorRef<BackendPool.Command> pool;
  private final PrometheusMeterRegistry registry;
  private final Scheduler scheduler;
  private final Materializer materializer;
  private final Duration askTimeout;

  public StatusRoutes(
      ActorRef<BackendPool.Command> pool, PrometheusMeterRegistry registry, Scheduler scheduler, Materializer materializer, Duration askTimeout) {
    this.pool = pool;
    this.materializer = materializer;
    this.registry = registry;
    this.scheduler = scheduler;
    this.askTimeout = askTimeout;
  }

  /** The answer to a request under {@link #PREFIX}. */
  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    return switch (request.getUri().path()) {
      case "/balancer/status" -> status();
      case "/balancer/metrics" -> CompletableFuture.completedFuture(
          HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, registry.scrape()));
      default -> request.discardEntityBytes(materializer).completionStage()
          .thenApply(d -> HttpResponse.create().withStatus(StatusCodes.NOT_FOUND).withEntity(ContentTypes.TEXT_PLAIN_UTF8,
              "the balancer serves /balancer/status and /balancer/metrics"));
    };
  }

  private CompletionStage<HttpResponse> status() {
    return AskPattern.<BackendPool.Command, BackendPool.Status>ask(pool, BackendPool.GetStatus::new, askTimeout, scheduler)
        .thenApply(status -> HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .withEntity(ContentTypes.APPLICATION_JSON, render(status)));
  }

  static String render(BackendPool.Status status) {
    ObjectNode root = JSON.createObjectNode();
    root.put("openSockets", status.openSockets());
    ArrayNode backends = root.putArray("backends");
    for (BackendState s : status.backends()) {
      ObjectNode b = backends.addObject();
      b.put("address", s.address().toString());
      b.put("health", s.health().name().toLowerCase());
      b.put("openSockets", s.openSockets());
      b.put("requestsProxied", s.requestsProxied());
      if (s.lastCheck() == null) {
        b.putNull("lastCheck");
      } else {
        ObjectNode check = b.putObject("lastCheck");
        check.put("passed", s.lastCheck().passed());
        check.put("detail", s.lastCheck().detail());
        check.put("at", s.lastCheck().at().toString());
      }
    }
    return root.toString();
  }
}
