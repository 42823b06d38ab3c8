package pekkochat.http;

import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.Uri;

/** The address clients used to reach this node, behind a proxy too (X-Forwarded-Proto/-Host). */
final class PublicUrls {
  private PublicUrls() {}

  static String base(HttpRequest request) {
    Uri uri = request.getUri();
    String scheme = request.getHeader("X-Forwarded-Proto").map(h -> h.value()).orElse(uri.scheme());
    String host = request.getHeader("X-Forwarded-Host").map(h -> h.value())
        .or(() -> request.getHeader("Host").map(h -> h.value()))
        .orElse(uri.host().address() + (uri.port() > 0 ? ":" + uri.port() : ""));
    return scheme + "://" + host;
  }
}
