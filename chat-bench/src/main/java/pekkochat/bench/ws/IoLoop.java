package pekkochat.bench.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One IO thread: a selector over its share of the sockets and one read buffer for all of them,
 * so an idle socket costs its channel and a small {@link WsConn}, nothing more.
 */
final class IoLoop implements Runnable {

  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  final int index;
  private final Selector selector;
  private final byte[] buf;
  private final ByteBuffer readBuffer;
  private final int maxPayload;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private WsConn current;
  private final Frames.Sink sink = this::frame;

  IoLoop(int index, int bufferBytes) throws IOException {
    this.index = index;
    this.selector = Selector.open();
    this.buf = new byte[bufferBytes];
    this.readBuffer = ByteBuffer.wrap(buf);
    this.maxPayload = bufferBytes - 14;
  }

  void submit(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  void wantWrite(WsConn conn) {
    submit(() -> {
      if (conn.key != null && conn.key.isValid()) conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    });
  }

  void register(WsConn conn) {
    submit(() -> {
      try {
        conn.key = conn.channel.register(selector, SelectionKey.OP_CONNECT, conn);
        if (conn.channel.isConnected()) connected(conn);
      } catch (IOException e) {
        drop(conn, "connect failed: " + e.getMessage());
      }
    });
  }

  void stop() {
    running = false;
    selector.wakeup();
  }

  @Override
  public void run() {
    while (running) {
      try {
        selector.select(500);
        for (Runnable task; (task = tasks.poll()) != null; ) task.run();
        for (SelectionKey key : selector.selectedKeys()) handle(key);
        selector.selectedKeys().clear();
      } catch (IOException e) {
        throw new IllegalStateException("selector failed", e);
      }
    }
    for (SelectionKey key : selector.keys()) drop((WsConn) key.attachment(), "client stopped");
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing at exit
    }
  }

  private void handle(SelectionKey key) {
    WsConn conn = (WsConn) key.attachment();
    try {
      if (!key.isValid()) return;
      if (key.isConnectable() && conn.channel.finishConnect()) connected(conn);
      if (key.isValid() && key.isWritable() && conn.flush()) key.interestOps(SelectionKey.OP_READ);
      if (key.isValid() && key.isReadable()) read(conn);
    } catch (IOException | RuntimeException e) {
      drop(conn, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void connected(WsConn conn) throws IOException {
    conn.key.interestOps(SelectionKey.OP_READ);
    if (!conn.send(conn.request)) drop(conn, "upgrade request not sent");
  }

  private void read(WsConn conn) throws IOException {
    int kept = 0;
    if (conn.tail != null) {
      kept = conn.tail.length;
      System.arraycopy(conn.tail, 0, buf, 0, kept);
      conn.tail = null;
    }
    readBuffer.clear().position(kept);
    int n = conn.channel.read(readBuffer);
    if (n < 0) {
      drop(conn, conn.upgraded ? "connection closed without a close frame" : "connection closed before the upgrade");
      return;
    }
    int end = kept + n;
    int start = 0;
    if (!conn.upgraded) {
      int headerEnd = indexOf(buf, end, HEADER_END);
      if (headerEnd < 0) {
        if (end == buf.length) throw new IllegalStateException("upgrade answer too long");
        conn.tail = Arrays.copyOf(buf, end);
        return;
      }
      String status = new String(buf, 0, Math.min(headerEnd, 64), StandardCharsets.ISO_8859_1).split("\r\n")[0];
      if (!status.startsWith("HTTP/1.1 101")) {
        drop(conn, "upgrade refused: " + status);
        return;
      }
      conn.upgraded = true;
      conn.handler.onOpen(conn);
      start = headerEnd + HEADER_END.length;
    }
    current = conn;
    int used = Frames.parse(buf, start, end, maxPayload, sink);
    current = null;
    if (start + used < end && conn.channel.isOpen()) conn.tail = Arrays.copyOfRange(buf, start + used, end);
  }

  private void frame(boolean fin, int opcode, byte[] b, int off, int len) {
    WsConn conn = current;
    switch (opcode) {
      case Frames.TEXT, Frames.CONTINUATION -> text(conn, fin, b, off, len);
      case Frames.PING -> conn.send(Frames.masked(Frames.PONG, Arrays.copyOfRange(b, off, off + len)));
      case Frames.CLOSE -> {
        conn.answerClose(b, off, len);
        int code = len >= 2 ? ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF) : 1005;
        drop(conn, "closed " + code);
      }
      default -> { } // pong, binary: a load client has no use for them
    }
  }

  private static void text(WsConn conn, boolean fin, byte[] b, int off, int len) {
    if (fin && conn.fragments == null) {
      conn.handler.onText(conn, b, off, len);
      return;
    }
    if (conn.fragments == null) conn.fragments = new byte[Math.max(1024, len * 2)];
    if (conn.fragmentsLength + len > conn.fragments.length) {
      conn.fragments = Arrays.copyOf(conn.fragments, Math.max(conn.fragments.length * 2, conn.fragmentsLength + len));
    }
    System.arraycopy(b, off, conn.fragments, conn.fragmentsLength, len);
    conn.fragmentsLength += len;
    if (fin) {
      byte[] whole = conn.fragments;
      int length = conn.fragmentsLength;
      conn.fragments = null;
      conn.fragmentsLength = 0;
      conn.handler.onText(conn, whole, 0, length);
    }
  }

  void drop(WsConn conn, String why) {
    if (!conn.markGone()) return;
    if (conn.key != null) conn.key.cancel();
    try {
      conn.channel.close();
    } catch (IOException ignored) {
      // already broken
    }
    conn.handler.onClose(conn, why);
  }

  private static int indexOf(byte[] b, int end, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= end; i++) {
      for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
