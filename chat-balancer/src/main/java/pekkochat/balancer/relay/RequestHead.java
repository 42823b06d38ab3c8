package pekkochat.balancer.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The request line and headers a client sent first on a connection, read off the wire by the
 * balancer's front so that it can tell a WebSocket upgrade from everything else.
 */
public record RequestHead(String method, String target, HeaderFields headers) {

  /** Where the head ends in {@code bytes[from, to)}: the index of its empty line's CRLF CRLF, or -1 if not read in full yet. */
  public static int endOf(ByteBuffer bytes, int from, int to) {
    return HeaderFields.endOf(bytes, from, to);
  }

  /** {@code head}: the bytes before the empty line; empty if they are not an HTTP/1.1 request head. */
  public static Optional<RequestHead> parse(byte[] head, int length) {
    String[] lines = new String(head, 0, length, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].equals("HTTP/1.1")) return Optional.empty();
    try {
      return Optional.of(new RequestHead(requestLine[0], requestLine[1], HeaderFields.parse(lines)));
    } catch (HandshakeFailed badHeaderLine) {
      return Optional.empty();
    }
  }

  public String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** The client's key, if this is a WebSocket opening handshake (RFC 6455 section 4.2.1) for {@code path}. */
  public Optional<String> webSocketKey(String path) {
    boolean upgrade = method.equals("GET") && path().equals(path)
        && headers.hasToken("upgrade", "websocket") && headers.hasToken("connection", "upgrade")
        && headers.header("sec-websocket-version").equals(Optional.of("13"));
    return upgrade ? headers.header("sec-websocket-key") : Optional.empty();
  }

  /** The subprotocols the client asked for, in its order. */
  public List<String> subprotocols() {
    return headers.all().stream().filter(h -> h.lowercaseName().equals("sec-websocket-protocol"))
        .flatMap(h -> Arrays.stream(h.value().split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
