package pekkochat.balancer.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/** The status line and headers of a backend's answer to the upgrade, as read off the wire. */
record ResponseHead(int status, List<HttpHeader> headers) {

  private static final byte[] END = {'\r', '\n', '\r', '\n'};
  private static final Set<String> RENDERED_BY_PEKKO =
      Set.of("content-type", "content-length", "transfer-encoding", "date", "server", "connection");

  /** Where the head ends (the index of its empty line's CRLF CRLF), or -1 if not read in full yet. */
  static int endOf(ByteString bytes) {
    for (int i = 0; i + END.length <= bytes.size(); i++) {
      if (bytes.apply(i) == '\r' && bytes.apply(i + 1) == '\n' && bytes.apply(i + 2) == '\r' && bytes.apply(i + 3) == '\n') return i;
    }
    return -1;
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
    List<HttpHeader> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) throw new HandshakeFailed("bad header line: " + lines[i]);
      headers.add(RawHeader.create(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    return new ResponseHead(status, List.copyOf(headers));
  }

  /**
   * The refusal as the balancer's own response: same status, same headers but those Pekko renders
   * itself (entity, framing, date, server), same body.
   */
  HttpResponse toResponse(ByteString body) {
    List<HttpHeader> kept = headers.stream().filter(h -> !RENDERED_BY_PEKKO.contains(h.lowercaseName())).toList();
    ContentType type;
    try {
      type = header("content-type").map(ContentTypes::parse).orElse(ContentTypes.APPLICATION_OCTET_STREAM);
    } catch (RuntimeException unparsable) {
      type = ContentTypes.APPLICATION_OCTET_STREAM;
    }
    return HttpResponse.create()
        .withStatus(StatusCodes.lookup(status).orElseGet(() -> StatusCodes.custom(status, "", "", status >= 400 && status < 500, true)))
        .withHeaders(kept)
        .withEntity(body.isEmpty() ? HttpEntities.EMPTY : HttpEntities.create(type, body));
  }

  Optional<String> header(String lowercaseName) {
    for (HttpHeader h : headers) {
      if (h.lowercaseName().equals(lowercaseName)) return Optional.of(h.value());
    }
    return Optional.empty();
  }

  /** Whether a comma-list header holds {@code token}, case-insensitively ({@code Connection: keep-alive, Upgrade}). */
  boolean headerHasToken(String lowercaseName, String token) {
    for (HttpHeader h : headers) {
      if (!h.lowercaseName().equals(lowercaseName)) continue;
      for (String t : h.value().split(",")) {
        if (t.trim().equalsIgnoreCase(token)) return true;
      }
    }
    return false;
  }
}
