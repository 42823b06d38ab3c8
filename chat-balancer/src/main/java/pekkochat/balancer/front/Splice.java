package pekkochat.balancer.front;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A client's connection joined to its backend's (a node, after the 101; or the balancer's HTTP
 * server, byte for byte) on one loop: two channels, two directions, and for a WebSocket the frame
 * position of each. A side that ends ends both: the other gets what is still owed to it first.
 *
 * <p>The node's last word wins. Only when its connection ends without its close frame, before the
 * client's close and not inside a frame that streams, or when the balancer drains, does the client
 * get the balancer's {@code closing} frame (reason {@code draining}) and a close frame, between
 * two of the node's frames.
 */
final class Splice implements SelectorLoop.Attachment {

  private final SelectorLoop loop;
  private final SocketChannel client;
  private final SelectionKey clientKey;
  private final SocketChannel backend;
  private final SelectionKey backendKey;
  /** client to backend, and backend to client */
  private final Direction up;
  private final Direction down;
  private final Front.WebSocket webSocket;
  private final long idleNanos;
  /** runs once the backend connection has ended */
  private final Runnable onBackendEnd;
  private long lastActivity = System.nanoTime();
  private boolean backendEnded;
  /** the client gets what it is still owed, then the connection closes */
  private boolean closeWhenFlushed;
  private boolean closed;

  /** {@code webSocket}: null for a plain byte splice (HTTP to the balancer's server). */
  Splice(SelectorLoop loop, SelectionKey clientKey, SelectionKey backendKey, Front.WebSocket webSocket, long idleNanos,
      Runnable onBackendEnd) {
    this.loop = loop;
    this.clientKey = clientKey;
    this.backendKey = backendKey;
    this.client = (SocketChannel) clientKey.channel();
    this.backend = (SocketChannel) backendKey.channel();
    this.webSocket = webSocket;
    this.idleNanos = idleNanos;
    this.onBackendEnd = onBackendEnd;
    boolean frames = webSocket != null;
    this.up = new Direction(client, backend, frames ? new FrameScanner(0, false) : null, false);
    this.down = new Direction(backend, client, frames ? new FrameScanner(webSocket.maxHeldFrameBytes(), true) : null, frames);
  }

  /**
   * Takes both keys over. {@code toClient}: the balancer's own bytes first (the 101), then {@code
   * fromBackend} and {@code fromClient}, read before the splice began, as if read now.
   */
  void start(byte[] toClient, byte[] fromBackend, byte[] fromClient) {
    clientKey.attach(this);
    backendKey.attach(this);
    loop.add(this);
    if (toClient.length > 0) down.insert(toClient);
    down.offer(fromBackend);
    up.offer(fromClient);
    try {
      up.flush();
      down.flush();
    } catch (IOException e) {
      close();
      return;
    }
    interest();
  }

  @Override
  public void ready(SelectionKey key) {
    lastActivity = System.nanoTime();
    if (key == clientKey) {
      if (key.isWritable()) flushToClient();
      if (!closed && key.isReadable()) readClient();
    } else {
      if (key.isWritable()) flushToBackend();
      if (!closed && !backendEnded && key.isReadable()) readBackend();
    }
    if (!closed) interest();
  }

  private void readClient() {
    try {
      if (up.transfer(loop.shared()) < 0) close();
    } catch (Direction.DestinationFailed e) {
      backendEnded(lostMessage());
    } catch (IOException e) {
      close();
    }
  }

  private void readBackend() {
    try {
      if (down.transfer(loop.shared()) < 0) backendEnded(lostMessage());
    } catch (Direction.DestinationFailed e) {
      close();
    } catch (IOException e) {
      backendEnded(lostMessage());
    }
  }

  private void flushToClient() {
    try {
      if (down.flush() && closeWhenFlushed) close();
    } catch (IOException e) {
      close();
    }
  }

  private void flushToBackend() {
    try {
      up.flush();
    } catch (IOException e) {
      backendEnded(lostMessage());
    }
  }

  /** Reads a side only while the other can take what it reads, and writes a side while bytes wait for it. */
  private void interest() {
    int clientOps = (down.blocked() ? SelectionKey.OP_WRITE : 0) | (closeWhenFlushed || up.blocked() ? 0 : SelectionKey.OP_READ);
    if (clientKey.interestOps() != clientOps) clientKey.interestOps(clientOps);
    if (backendEnded) return;
    int backendOps = (up.blocked() ? SelectionKey.OP_WRITE : 0) | (down.blocked() ? 0 : SelectionKey.OP_READ);
    if (backendKey.interestOps() != backendOps) backendKey.interestOps(backendOps);
  }

  private String lostMessage() {
    return webSocket == null ? null : webSocket.backendLostMessage();
  }

  /** The backend's side ended (or the balancer drains): the client gets what it is owed, then the end. */
  private void backendEnded(String message) {
    endBackend();
    if (owesLastWord()) {
      byte[] closing = pekkochat.balancer.relay.ClosingFrame.draining(message).toArray();
      down.insert(OwnFrames.lastWord(closing, down.frames().lastDataWasClosing()));
    }
    closeWhenFlushed = true;
    flushToClient();
    if (!closed) interest();
  }

  /** Not after a close frame either way, nor inside a frame of which the client got a part already. */
  private boolean owesLastWord() {
    return webSocket != null && !down.frames().sawClose() && !up.frames().sawClose() && !down.frames().midStreamedFrame();
  }

  private void endBackend() {
    if (backendEnded) return;
    backendEnded = true;
    backendKey.cancel();
    closeQuietly(backend);
    onBackendEnd.run();
  }

  @Override
  public void sweep(long nowNanos) {
    // a socket that moved no byte for the idle timeout is stalled (a client that stopped reading)
    if (nowNanos - lastActivity > idleNanos) close();
  }

  @Override
  public void drain() {
    if (webSocket != null && !closed && !backendEnded) backendEnded(webSocket.drainingMessage());
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    clientKey.cancel();
    closeQuietly(client);
    endBackend();
    loop.remove(this);
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a socket that is gone already
    }
  }
}
