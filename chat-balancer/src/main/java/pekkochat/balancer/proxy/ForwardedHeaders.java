package pekkochat.balancer.proxy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Which of a client's headers go on to the backend, and the {@code X-Forwarded-*} headers added.
 * {@code client} is the client's address as the balancer's front accepted it (never the front's
 * own loopback connection to the HTTP server).
 */
public final class ForwardedHeaders {

  /**
   * Meaningful for one connection only (RFC 9110 section 7.6.1), Pekko's own synthetic ones, and
   * the forwarding headers this balancer writes anew.
   */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "timeout-access", "remote-address", "raw-request-uri",
      "x-forwarded-for", "x-forwarded-proto");

  /**
   * What a node looks at on an upgrade; the handshake's own headers are made anew by the client
   * side. {@code Host} is kept as the client sent it, as for HTTP, so the node sees the address
   * the browser used: its same-origin check compares {@code Origin} with it, and the links it
   * makes (invites) point at the balancer. Hence no {@code X-Forwarded-Host} of our own; one from
   * an earlier proxy passes on.
   */
  private static final Set<String> WEBSOCKET_RELEVANT =
      Set.of("origin", "authorization", "cookie", "user-agent", "host", "x-forwarded-host");

  private ForwardedHeaders() {}

  /** Headers for the upstream upgrade; {@code Sec-WebSocket-Protocol} goes as the requested subprotocol. */
  public static List<HttpHeader> forWebSocket(List<HttpHeader> clientHeaders, Optional<InetAddress> client) {
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : clientHeaders) {
      if (WEBSOCKET_RELEVANT.contains(h.lowercaseName())) headers.add(h);
    }
    headers.addAll(forwarding(clientHeaders, client));
    return headers;
  }

  /** Headers for a proxied HTTP request: all end-to-end ones ({@code Host} included), then the forwarding ones. */
  static List<HttpHeader> forHttp(HttpRequest request, Optional<InetAddress> client) {
    List<HttpHeader> clientHeaders = new ArrayList<>();
    request.getHeaders().forEach(clientHeaders::add);
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : clientHeaders) {
      if (!HOP_BY_HOP.contains(h.lowercaseName())) headers.add(h);
    }
    headers.addAll(forwarding(clientHeaders, client));
    return headers;
  }

  /** Response headers that go back to the client: all but the hop-by-hop ones. */
  static List<HttpHeader> endToEnd(Iterable<HttpHeader> responseHeaders) {
    List<HttpHeader> headers = new ArrayList<>();
    for (HttpHeader h : responseHeaders) {
      if (!HOP_BY_HOP.contains(h.lowercaseName())) headers.add(h);
    }
    return headers;
  }

  /**
   * {@code X-Forwarded-For} gets the client's address appended to what an earlier proxy sent;
   * {@code X-Forwarded-Proto} keeps an earlier proxy's value (a TLS terminator in front), else
   * says what this balancer speaks: plain HTTP.
   */
  private static List<HttpHeader> forwarding(List<HttpHeader> clientHeaders, Optional<InetAddress> clientAddress) {
    List<HttpHeader> headers = new ArrayList<>();
    Optional<String> client = clientAddress.map(InetAddress::getHostAddress);
    Optional<String> earlierFor = header(clientHeaders, "x-forwarded-for");
    String forwardedFor = earlierFor.map(e -> client.map(c -> e + ", " + c).orElse(e)).orElse(client.orElse(null));
    if (forwardedFor != null) headers.add(RawHeader.create("X-Forwarded-For", forwardedFor));
    headers.add(RawHeader.create("X-Forwarded-Proto", header(clientHeaders, "x-forwarded-proto").orElse("http")));
    return headers;
  }

  private static Optional<String> header(List<HttpHeader> headers, String lowercaseName) {
    for (HttpHeader h : headers) {
      if (h.lowercaseName().equals(lowercaseName)) return Optional.of(h.value());
    }
    return Optional.empty();
  }
}
