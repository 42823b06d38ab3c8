package pekkochat.balancer.front;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.balancer.proxy.BackendChoice;
import pekkochat.balancer.proxy.HttpProxy;
import pekkochat.balancer.relay.UpgradeAnswerReader;

/**
 * The balancer's public port, on plain NIO: an accepting thread hands each connection to one of
 * a few {@link SelectorLoop}s (one per core), which proxies a WebSocket itself, from the upgrade
 * to the end ({@link Connection}, {@link Splice}), and passes everything else byte for byte to the
 * balancer's Pekko HTTP server on a loopback port (HTTP, health, the operator pages).
 */
public final class Front implements HttpProxy.ClientAddresses {

  /** How the front listens and proxies; {@code loops} 0: one per available processor. */
  public record Settings(
      String host, int port, int backlog, int loops, int readBufferBytes, int maxRequestHeadBytes,
      Duration idleTimeout, Duration sweepInterval, WebSocket webSocket) {}

  /** The WebSocket path and how its sockets are proxied. */
  public record WebSocket(
      String path, int maxAttempts, Duration connectTimeout, UpgradeAnswerReader.Limits handshake,
      String backendLostMessage, String drainingMessage, long maxHeldFrameBytes) {}

  private static final Logger log = LoggerFactory.getLogger(Front.class);

  private final Settings settings;
  private final BackendChoice choice;
  private final InetSocketAddress httpServer;
  private final ServerSocketChannel listener;
  private final SelectorLoop[] loops;
  /** the front's connections to the HTTP server (by local address), and the clients they carry */
  private final Map<InetSocketAddress, InetAddress> clients = new ConcurrentHashMap<>();

  private Front(Settings settings, BackendChoice choice, InetSocketAddress httpServer, ServerSocketChannel listener) {
    this.settings = settings;
    this.choice = choice;
    this.httpServer = httpServer;
    this.listener = listener;
    int count = settings.loops() > 0 ? settings.loops() : Runtime.getRuntime().availableProcessors();
    this.loops = new SelectorLoop[count];
    for (int i = 0; i < count; i++) {
      loops[i] = new SelectorLoop(settings.readBufferBytes(), settings.sweepInterval().toNanos());
      Thread thread = new Thread(loops[i], "balancer-front-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    Thread acceptor = new Thread(this::accept, "balancer-front-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Binds the public port; {@code httpServer}: where the balancer's Pekko HTTP server listens. */
  public static Front start(Settings settings, BackendChoice choice, InetSocketAddress httpServer) throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    try {
      listener.bind(new InetSocketAddress(settings.host(), settings.port()), settings.backlog());
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    return new Front(settings, choice, httpServer, listener);
  }

  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) listener.getLocalAddress();
  }

  @Override
  public Optional<InetAddress> clientOf(InetSocketAddress frontConnection) {
    return Optional.ofNullable(clients.get(frontConnection));
  }

  /** No new connections; those open go on. */
  public void unbind() {
    try {
      listener.close();
    } catch (IOException e) {
      log.warn("closing the balancer's port", e);
    }
  }

  /** Every proxied WebSocket gets the balancer's {@code closing} frame (reason draining) and is closed. */
  public void drain() {
    for (SelectorLoop loop : loops) loop.forEach(SelectorLoop.Attachment::drain);
  }

  /**
   * Ends the loops once every connection has ended (a closing frame reached its client, the HTTP
   * server closed its side), or after {@code grace}, cutting those left then.
   */
  public CompletableFuture<Void> stop(Duration grace) {
    unbind();
    long deadline = System.nanoTime() + grace.toNanos();
    CompletableFuture<?>[] stopped = new CompletableFuture<?>[loops.length];
    for (int i = 0; i < loops.length; i++) {
      CompletableFuture<Void> loopStopped = new CompletableFuture<>();
      loops[i].stopBy(deadline, loopStopped);
      stopped[i] = loopStopped;
    }
    return CompletableFuture.allOf(stopped);
  }

  Settings settings() {
    return settings;
  }

  BackendChoice choice() {
    return choice;
  }

  InetSocketAddress httpServer() {
    return httpServer;
  }

  void remember(InetSocketAddress httpServerConnection, Optional<InetAddress> client) {
    client.ifPresent(c -> clients.put(httpServerConnection, c));
  }

  void forget(InetSocketAddress httpServerConnection) {
    clients.remove(httpServerConnection);
  }

  private void accept() {
    int next = 0;
    while (true) {
      SocketChannel client;
      try {
        client = listener.accept();
      } catch (ClosedChannelException unbound) {
        return;
      } catch (IOException e) {
        // out of descriptors, most likely: wait a moment rather than spin, the backlog holds the rest
        log.warn("accepting a connection", e);
        pause();
        continue;
      }
      SelectorLoop loop = loops[next];
      next = (next + 1) % loops.length;
      loop.execute(() -> new Connection(this, loop, client).start());
    }
  }

  private void pause() {
    try {
      Thread.sleep(settings.sweepInterval().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
