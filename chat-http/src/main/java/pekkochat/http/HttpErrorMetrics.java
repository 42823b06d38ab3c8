package pekkochat.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import pekkochat.wire.ErrorCode;

/**
 * HTTP answers by PROTOCOL.md error code ({@code chat_http_errors_total{code}}, docs/metrics.md):
 * REST errors and refused WebSocket upgrades. Each code has its own status (section 5), so the
 * status names the code; every series is registered up front, so each exists from the first scrape.
 */
public final class HttpErrorMetrics extends AllDirectives {
  private final Map<Integer, Counter> byStatus = new HashMap<>();

  public HttpErrorMetrics(MeterRegistry registry) {
    for (ErrorCode code : ErrorCode.values()) {
      byStatus.put(code.httpStatus(), Counter.builder("chat.http.errors").tag("code", code.wireName())
          .description("HTTP answers with a PROTOCOL.md error code: REST errors and refused upgrades").register(registry));
    }
  }

  /** {@code routes}, counting what they answer (not the rejections Pekko turns into answers after them). */
  public Route counting(Route routes) {
    return mapResponse(response -> {
      Counter counter = byStatus.get(response.status().intValue());
      if (counter != null) counter.increment();
      return response;
    }, () -> routes);
  }
}
