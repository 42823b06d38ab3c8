package pekkochat.balancer.relay;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/** Decodes a chunked body (RFC 9112 section 7.1), for a refusal that comes without a length. */
final class Chunked {

  private Chunked() {}

  /** The whole body, or empty while the last chunk has not arrived. Fails on a malformed one. */
  static Optional<ByteString> decode(ByteString bytes) {
    ByteString body = ByteString.emptyByteString();
    int at = 0;
    while (true) {
      int lineEnd = indexOfCrlf(bytes, at);
      if (lineEnd < 0) return Optional.empty();
      String sizeLine = bytes.slice(at, lineEnd).decodeString(StandardCharsets.US_ASCII);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new HandshakeFailed("bad chunk size: " + sizeLine);
      }
      at = lineEnd + 2;
      // the last chunk: done once its (empty) trailer section has arrived
      if (size == 0) return ResponseHead.endOf(bytes.drop(at - 2)) >= 0 ? Optional.of(body) : Optional.empty();
      if (bytes.size() < at + size + 2) return Optional.empty();
      body = body.concat(bytes.slice(at, at + size));
      at += size + 2;
    }
  }

  private static int indexOfCrlf(ByteString bytes, int from) {
    for (int i = from; i + 1 < bytes.size(); i++) {
      if (bytes.apply(i) == '\r' && bytes.apply(i + 1) == '\n') return i;
    }
    return -1;
  }
}
