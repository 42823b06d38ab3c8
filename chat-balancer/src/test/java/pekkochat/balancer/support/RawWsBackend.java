package pekkochat.balancer.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in backend on plain sockets, a thread per connection: {@code /readyz} answers 200, and
 * {@code /ws} upgrades by hand. Then, with {@code flood} in the query, it writes text frames of
 * {@link #FLOOD_SIZES} in turn, each a JSON object with a running {@code seq}, as fast as the
 * connection takes them ({@code pace=ms} sleeps between frames); else it hands the socket to the
 * test ({@link #nextSocket}), which reads and writes raw bytes.
 */
public final class RawWsBackend implements AutoCloseable {

  /** payload sizes of flood frames, in turn: small, medium, and frames that take many reads */
  public static final List<Integer> FLOOD_SIZES = List.of(90, 1_500, 20_000, 61_000);
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket server;
  private final BlockingQueue<Socket> upgraded = new LinkedBlockingQueue<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  public RawWsBackend(int port) {
    try {
      server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "raw-backend-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The next upgraded socket without {@code flood}, its 101 already written. */
  public Socket nextSocket() throws InterruptedException {
    Socket socket = upgraded.poll(10, TimeUnit.SECONDS);
    if (socket == null) throw new AssertionError("no upgrade reached the backend");
    return socket;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "raw-backend-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try {
      String head = readHead(socket.getInputStream());
      String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
      OutputStream out = socket.getOutputStream();
      if (!target.startsWith("/ws")) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.close();
        return;
      }
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept(header(head, "sec-websocket-key")) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (target.contains("flood")) flood(out, pace(target));
      else upgraded.add(socket);
    } catch (IOException | InterruptedException gone) {
      // the connection ended: nothing to serve any more
    }
  }

  private static long pace(String target) {
    int at = target.indexOf("pace=");
    if (at < 0) return 0;
    String rest = target.substring(at + 5);
    int end = rest.indexOf('&');
    return Long.parseLong(end < 0 ? rest : rest.substring(0, end));
  }

  private static void flood(OutputStream out, long paceMillis) throws IOException, InterruptedException {
    for (long seq = 1; ; seq++) {
      out.write(WireFrames.unmasked(WireFrames.TEXT, true, floodPayload(seq)));
      if (paceMillis > 0) Thread.sleep(paceMillis);
    }
  }

  /** {@code {"type":"message","seq":N,"pad":"xxx…"}} of {@code FLOOD_SIZES[(N-1) % 4]} bytes. */
  public static byte[] floodPayload(long seq) {
    int size = FLOOD_SIZES.get((int) ((seq - 1) % FLOOD_SIZES.size()));
    String prefix = "{\"type\":\"message\",\"seq\":" + seq + ",\"pad\":\"";
    return (prefix + "x".repeat(Math.max(0, size - prefix.length() - 2)) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed during the request head");
      head.append((char) b);
    }
    return head.toString();
  }

  private static String header(String head, String lowercaseName) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(lowercaseName)) return line.substring(colon + 1).trim();
    }
    throw new IllegalStateException("no " + lowercaseName + " in " + head);
  }

  private static String accept(String key) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
