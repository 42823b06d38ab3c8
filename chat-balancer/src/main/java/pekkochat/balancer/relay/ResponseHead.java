package pekkochat.balancer.relay;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.util.ByteString;

/** The status line and headers of a backend's answer to the upgrade, as read off the wire. */
record ResponseHead(String statusLine, int status, HeaderFields headers) {

  /** What the balancer writes itself when it passes a refusal on: the framing of the body and of the connection. */
  private static final Set<String> REFRAMED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive");

  /** Where the head ends (the index of its empty line's CRLF CRLF), or -1 if not read in full yet. */
  static int endOf(ByteString bytes) {
    return HeaderFields.endOf(bytes.asByteBuffer(), 0, bytes.size());
  }

  /** {@code head}: the bytes before the empty line. Fails on anything but an HTTP/1.x status line. */
  static ResponseHead parse(ByteString head) {
    String[] lines = head.decodeString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new HandshakeFailed("not an HTTP/1.x answer: " + lines[0]);
    }
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new HandshakeFailed("bad status line: " + lines[0]);
    }
    return new ResponseHead(lines[0], status, HeaderFields.parse(lines));
  }

  /**
   * The refusal as the client gets it: the node's status line and headers, then its whole body,
   * framed anew by its length, on a connection that closes after it.
   */
  ByteString render(ByteString body) {
    StringBuilder head = new StringBuilder(256).append(statusLine).append("\r\n");
    for (HttpHeader h : headers.all()) {
      if (!REFRAMED.contains(h.lowercaseName())) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    head.append("Content-Length: ").append(body.size()).append("\r\nConnection: close\r\n\r\n");
    return ByteString.fromString(head.toString(), StandardCharsets.ISO_8859_1).concat(body);
  }

  Optional<String> header(String lowercaseName) {
    return headers.header(lowercaseName);
  }

  boolean headerHasToken(String lowercaseName, String token) {
    return headers.hasToken(lowercaseName, token);
  }
}
