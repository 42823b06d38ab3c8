package pekkochat.transport;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;

/**
 * Pekko HTTP's server layer (HTTP/1.1 parsing, rendering, WebSocket upgrades) over our own
 * {@link TcpServer}, in place of {@code Http.newServerAt(...).bindFlow}: the same public API
 * ({@code Http.serverLayer}), with the peer's address for {@code remote-address-attribute}.
 */
public final class HttpConnections {
  private HttpConnections() {}

  /** For each accepted peer, {@code handler} under a fresh server layer. */
  public static Function<InetSocketAddress, Flow<ByteString, ByteString, ?>> serving(
      ActorSystem<?> system, Flow<HttpRequest, HttpResponse, ?> handler) {
    Http http = Http.get(system);
    ServerSettings settings = ServerSettings.create(system.classicSystem());
    return peer -> handler.join(http.serverLayer(settings, Optional.of(peer)).atop(plainBytes()));
  }

  /** No TLS: TLSPlacebo's SessionBytes are the server layer's SslTlsInbound (Java lacks the variance). */
  @SuppressWarnings("unchecked")
  private static BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> plainBytes() {
    return (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>) (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
  }

  /** The connection cap and accept backlog of pekko.http.server, for {@link TransportSettings}. */
  public static int maxConnections(ActorSystem<?> system) {
    return ServerSettings.create(system.classicSystem()).getMaxConnections();
  }

  public static int backlog(ActorSystem<?> system) {
    return ServerSettings.create(system.classicSystem()).getBacklog();
  }
}
