package pekkochat.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /healthz}, {@code /readyz}, {@code /metrics} (PROTOCOL.md section 1). */
public final class OpsRoutes extends AllDirectives {
  /** Prometheus' text exposition format, version 0.0.4. */
  private static final ContentType.WithCharset PROMETHEUS_TEXT =
      MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;

  public OpsRoutes(Readiness readiness, PrometheusMeterRegistry registry) {
    this.readiness = readiness;
    this.registry = registry;
  }

  public Route routes() {
    return get(() -> concat(
        path("healthz", () -> complete(text(StatusCodes.OK, "ok"))),
        path("readyz", () -> complete(readiness.isReady()
            ? text(StatusCodes.OK, "ready")
            : text(StatusCodes.SERVICE_UNAVAILABLE, readiness.state().name().toLowerCase(java.util.Locale.ROOT)))),
        path("metrics", () -> complete(HttpResponse.create()
            .withEntity(HttpEntities.create(PROMETHEUS_TEXT, registry.scrape()))))));
  }

  private static HttpResponse text(org.apache.pekko.http.javadsl.model.StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
  }
}
