package pekkochat.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's listening socket: accepts TCP connections and runs each as the stream that
 * {@code connection} gives for its peer, joined to a {@link SocketStage}. At most
 * {@code maxConnections} are open; beyond that it stops accepting until one closes, so new
 * clients wait in the kernel's backlog, as they did with Pekko's own bind.
 */
public final class TcpServer {
  private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);

  private final ServerSocketChannel server;
  private final Function<InetSocketAddress, Flow<ByteString, ByteString, ?>> connection;
  private final TransportSettings settings;
  private final Materializer materializer;
  private final Executor executor;
  private final SelectorLoop[] loops;
  private final ReadBuffers readBuffers;
  private final Semaphore slots;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final Thread acceptor;
  /** The accepting thread has ended, and with it the listening socket (see {@link #unbind()}). */
  private final CompletableFuture<Done> acceptorEnded = new CompletableFuture<>();

  private TcpServer(ActorSystem<?> system, ServerSocketChannel server, TransportSettings settings,
      Function<InetSocketAddress, Flow<ByteString, ByteString, ?>> connection) {
    this.server = server;
    this.connection = connection;
    this.settings = settings;
    this.materializer = SystemMaterializer.get(system).materializer();
    this.executor = system.executionContext();
    this.readBuffers = new ReadBuffers(settings.readBufferBytes());
    this.slots = new Semaphore(settings.maxConnections());
    this.loops = new SelectorLoop[settings.selectorThreads()];
    for (int i = 0; i < loops.length; i++) loops[i] = new SelectorLoop("pekkochat-selector-" + i);
    system.getWhenTerminated().thenRun(() -> {
      for (SelectorLoop loop : loops) loop.close();
    });
    this.acceptor = new Thread(() -> {
      try {
        acceptLoop();
      } finally {
        acceptorEnded.complete(Done.getInstance());
      }
    }, "pekkochat-accept");
    acceptor.setDaemon(true);
  }

  /** Binds {@code settings}' address and starts accepting; fails when the address cannot be bound. */
  public static CompletionStage<TcpServer> bind(ActorSystem<?> system, TransportSettings settings,
      Function<InetSocketAddress, Flow<ByteString, ByteString, ?>> connection) {
    try {
      ServerSocketChannel channel = ServerSocketChannel.open();
      try {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(settings.host(), settings.port()), settings.backlog());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      TcpServer bound = new TcpServer(system, channel, settings, connection);
      bound.acceptor.start();
      return CompletableFuture.completedFuture(bound);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the server socket is closed", e);
    }
  }

  /**
   * Stops accepting; open connections go on until they end. Completes once the accepting thread
   * has ended: while it is blocked in {@code accept}, closing the channel only signals it, and the
   * kernel's listening socket lives (and completes handshakes) until that thread leaves the call.
   */
  public CompletionStage<Done> unbind() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("closing the server socket failed", e);
    }
    acceptor.interrupt();
    return acceptorEnded.minimalCompletionStage();
  }

  /** Connections open now (not the slots: the accepting thread holds one while it waits). */
  public int openConnections() {
    return open.get();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        slots.acquire();
      } catch (InterruptedException unbound) {
        return;
      }
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException unbound) {
        slots.release();
        return;
      } catch (IOException e) {
        slots.release();
        // e.g. out of file descriptors: wait instead of spinning on the same error
        LOG.warn("accepting a connection failed; trying again in {}", settings.acceptErrorPause(), e);
        try {
          Thread.sleep(settings.acceptErrorPause().toMillis());
        } catch (InterruptedException unbound) {
          return;
        }
        continue;
      }
      // materializing the connection's stream is most of its cost: on the dispatcher, not here
      executor.execute(() -> open(channel));
    }
  }

  private void open(SocketChannel channel) {
    open.incrementAndGet();
    Runnable closed = once(() -> {
      open.decrementAndGet();
      slots.release();
    });
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
      SelectorLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
      connection.apply(peer)
          .join(Flow.fromGraph(new SocketStage(channel, loop, readBuffers, closed)))
          .run(materializer);
    } catch (IOException | RuntimeException e) {
      // the peer left before it was set up, or the stream could not start (its stage then never ran)
      LOG.debug("a connection ended before its stream started", e);
      try {
        channel.close();
      } catch (IOException ignored) {
        // it is gone either way
      }
      closed.run();
    }
  }

  /** A connection's slot is given back once, whether its stage stopped or it never started. */
  private static Runnable once(Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) action.run();
    };
  }
}
