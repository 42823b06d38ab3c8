package pekkochat.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The REST calls a load needs (register, login, create a room), as plain HTTP/1.1 over a socket
 * bound to a chosen loopback source address: the node throttles register and login per client
 * address, and the JDK 17 HTTP client cannot choose one. One request per connection.
 */
final class Rest {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final int TIMEOUT_MS = 30_000;

  record Answer(int status, JsonNode body, long retryAfterSeconds) {}

  private final InetSocketAddress server;

  Rest(InetSocketAddress server) {
    this.server = server;
  }

  Answer post(InetAddress from, String path, String token, String json) throws IOException {
    return request("POST", from, path, token, json);
  }

  int get(String path) throws IOException {
    return request("GET", null, path, null, "").status();
  }

  private Answer request(String method, InetAddress from, String path, String token, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.setSoTimeout(TIMEOUT_MS);
      if (from != null) s.bind(new InetSocketAddress(from, 0));
      s.connect(server, TIMEOUT_MS);
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
          .append("Connection: close\r\n");
      if (body.length > 0) head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      if (token != null) head.append("Authorization: Bearer ").append(token).append("\r\n");
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return parse(s.getInputStream().readAllBytes());
    }
  }

  /** A {@code Connection: close} answer read to its end; chunked bodies are not expected from the node. */
  private static Answer parse(byte[] raw) throws IOException {
    String all = new String(raw, StandardCharsets.UTF_8);
    int headerEnd = all.indexOf("\r\n\r\n");
    if (headerEnd < 0) throw new IOException("no HTTP answer");
    String[] lines = all.substring(0, headerEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    long retryAfter = 0;
    boolean chunked = false;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("retry-after:")) retryAfter = parseLong(line.substring(12).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
    }
    String body = all.substring(headerEnd + 4);
    if (chunked) body = dechunk(body);
    JsonNode json;
    try {
      json = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException notJson) {
      json = JSON.createObjectNode().put("text", body);
    }
    return new Answer(status, json, retryAfter);
  }

  private static String dechunk(String body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length()) {
      int lineEnd = body.indexOf("\r\n", pos);
      int size = Integer.parseInt(body.substring(pos, lineEnd).trim(), 16);
      if (size == 0) break;
      out.writeBytes(body.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.UTF_8));
      pos = lineEnd + 2 + size + 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

}
