package pekkochat.transport;

import java.net.InetSocketAddress;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;

/**
 * Pekko HTTP's server layer (HTTP/1.1 parsing, rendering, WebSocket upgrades) over our own
 * {@link TcpServer}, in place of {@code Http.newServerAt(...).bindFlow}, on public API only
 * ({@code Http.serverLayer}). As in Pekko's own bind, the layer is built once and materialized
 * per connection, so every connection shares its primed header parser (built per connection, it
 * cost 5 KB per idle socket). The peer's address reaches the routes as Pekko's bind gives it with
 * {@code remote-address-attribute}: the request attribute {@code AttributeKeys.remoteAddress}.
 */
public final class HttpConnections {
  private HttpConnections() {}

  /** For each accepted peer, {@code handler} under the shared server layer. */
  public static Function<InetSocketAddress, Flow<ByteString, ByteString, ?>> serving(
      ActorSystem<?> system, Flow<HttpRequest, HttpResponse, ?> handler) {
    ServerSettings settings = ServerSettings.create(system.classicSystem());
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> layer =
        Http.get(system).serverLayer(settings).atop(plainBytes());
    if (!settings.getRemoteAddressAttribute()) return peer -> handler.join(layer);
    return peer -> {
      RemoteAddress remote = RemoteAddress.create(peer);
      return Flow.<HttpRequest>create()
          .map(request -> request.addAttribute(AttributeKeys.remoteAddress, remote))
          .via(handler)
          .join(layer);
    };
  }

  /** No TLS: TLSPlacebo's SessionBytes are the server layer's SslTlsInbound (Java lacks the variance). */
  @SuppressWarnings("unchecked")
  private static BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> plainBytes() {
    return (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>) (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
  }
}
