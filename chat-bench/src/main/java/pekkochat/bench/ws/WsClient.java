package pekkochat.bench.ws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A lean WebSocket client for load: a few IO threads share all sockets, each socket may be bound
 * to its own loopback source address (so that more than one address's ephemeral ports can be
 * used), and a socket holds no buffer while it is idle. The JDK's {@code java.net.http}
 * WebSocket can do neither (no local address, a heavy object graph per socket).
 */
public final class WsClient implements AutoCloseable {

  private final List<IoLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  /** {@code threads} IO threads, each with a read buffer of {@code bufferBytes} (the largest frame it can take). */
  public WsClient(int threads, int bufferBytes) throws IOException {
    for (int i = 0; i < threads; i++) {
      IoLoop loop = new IoLoop(i, bufferBytes);
      loops.add(loop);
      Thread t = new Thread(loop, "ws-io-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  public int threads() {
    return loops.size();
  }

  /**
   * Opens socket {@code id} from {@code local} (port 0) to {@code remote}, upgrading at
   * {@code pathAndQuery} with the extra request {@code headers} ("Name: value"); the handler
   * hears {@code onOpen} or {@code onClose}.
   */
  public WsConn connect(int id, InetSocketAddress local, InetSocketAddress remote, String pathAndQuery,
      List<String> headers, WsHandler handler) throws IOException {
    StringBuilder request = new StringBuilder()
        .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
        .append("Host: ").append(remote.getHostString()).append(':').append(remote.getPort()).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: cGVra28tY2hhdC1iZW5jaA==\r\nSec-WebSocket-Version: 13\r\n");
    for (String h : headers) request.append(h).append("\r\n");
    request.append("\r\n");
    IoLoop loop = loops.get(Math.floorMod(id, loops.size()));
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (local != null) channel.bind(local);
      channel.connect(remote);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    WsConn conn = new WsConn(id, channel, loop, handler, request.toString().getBytes(StandardCharsets.ISO_8859_1));
    loop.register(conn);
    return conn;
  }

  @Override
  public void close() throws InterruptedException {
    for (IoLoop loop : loops) loop.stop();
    for (Thread t : threads) t.join(5000);
  }
}
