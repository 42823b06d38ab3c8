package pekkochat.balancer.relay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** The header lines of an HTTP/1.x head, as read off the wire (a request's or a response's). */
public record HeaderFields(List<HttpHeader> all) {

  private static final byte[] END = {'\r', '\n', '\r', '\n'};

  /** Where a head ends in {@code bytes[from, to)}: the index of its empty line's CRLF CRLF, or -1 if not read in full yet. */
  static int endOf(ByteBuffer bytes, int from, int to) {
    for (int i = from; i + END.length <= to; i++) {
      if (bytes.get(i) == '\r' && bytes.get(i + 1) == '\n' && bytes.get(i + 2) == '\r' && bytes.get(i + 3) == '\n') return i;
    }
    return -1;
  }

  /** {@code lines}: the head split at CRLF, the start line first (skipped). Fails on a line without a colon. */
  static HeaderFields parse(String[] lines) {
    List<HttpHeader> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) throw new HandshakeFailed("bad header line: " + lines[i]);
      headers.add(RawHeader.create(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
    }
    return new HeaderFields(List.copyOf(headers));
  }

  public Optional<String> header(String lowercaseName) {
    for (HttpHeader h : all) {
      if (h.lowercaseName().equals(lowercaseName)) return Optional.of(h.value());
    }
    return Optional.empty();
  }

  /** Whether a comma-list header holds {@code token}, case-insensitively ({@code Connection: keep-alive, Upgrade}). */
  public boolean hasToken(String lowercaseName, String token) {
    for (HttpHeader h : all) {
      if (!h.lowercaseName().equals(lowercaseName)) continue;
      for (String t : h.value().split(",")) {
        if (t.trim().equalsIgnoreCase(token)) return true;
      }
    }
    return false;
  }
}
