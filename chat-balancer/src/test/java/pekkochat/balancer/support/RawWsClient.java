package pekkochat.balancer.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket: writes the upgrade and reads the answer by hand, then
 * reads and writes raw bytes, so that a test can check what passes byte for byte.
 */
public final class RawWsClient implements AutoCloseable {

  /** The answer to the upgrade: status, headers (lower-case names) and, for a refusal, the body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final Answer answer;

  private RawWsClient(Socket socket, Answer answer) {
    this.socket = socket;
    this.answer = answer;
  }

  /** Connects to 127.0.0.1:{@code port} and upgrades {@code pathAndQuery}; {@code receiveBuffer} 0 = the default. */
  public static RawWsClient upgrade(int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer) {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n");
      headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      return new RawWsClient(socket, readAnswer(socket.getInputStream()));
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new UncheckedIOException(e);
    }
  }

  private static Answer readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed during the upgrade: " + head);
      head.append((char) b);
    }
    String[] lines = head.toString().split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body = status == 101 ? new byte[0] : in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Answer(status, headers, body);
  }

  public Answer answer() {
    return answer;
  }

  public InputStream in() throws IOException {
    return socket.getInputStream();
  }

  public OutputStream out() throws IOException {
    return socket.getOutputStream();
  }

  public void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  public byte[] readExactly(int count) throws IOException {
    return socket.getInputStream().readNBytes(count);
  }

  public WireFrames.Frame readFrame() throws IOException {
    return WireFrames.read(socket.getInputStream());
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
