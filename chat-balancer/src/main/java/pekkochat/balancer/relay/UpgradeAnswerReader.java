package pekkochat.balancer.relay;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * Reads a backend's answer to {@link UpgradeRequest} from the bytes of its connection, as they
 * come. A 101 is checked (RFC 6455 section 4.2.2) and answered as {@link UpgradeAnswer.Accepted};
 * the bytes after it are frames ({@link #rest}). Any other status is read with its body and
 * answered as {@link UpgradeAnswer.Refused}. Anything else (not HTTP, too large, a bad 101) throws
 * {@link HandshakeFailed}; the caller enforces the timeout.
 */
public final class UpgradeAnswerReader {

  /** Bounds of one handshake. */
  public record Limits(int maxHeadBytes, int maxBodyBytes, Duration timeout) {}

  private final UpgradeRequest request;
  private final Limits limits;
  /** bytes read and not yet used */
  private ByteString buffer = ByteString.emptyByteString();
  /** the head of a refusal, whose body is being read */
  private ResponseHead refusal;

  public UpgradeAnswerReader(UpgradeRequest request, Limits limits) {
    this.request = request;
    this.limits = limits;
  }

  /** The answer once {@code more} completed it, else empty (more bytes are needed). */
  public Optional<UpgradeAnswer> read(ByteString more) {
    buffer = buffer.concat(more);
    if (refusal == null) {
      int end = ResponseHead.endOf(buffer);
      if (end < 0) {
        if (buffer.size() > limits.maxHeadBytes()) throw new HandshakeFailed("the answer's head is over " + limits.maxHeadBytes() + " bytes");
        return Optional.empty();
      }
      ResponseHead head = ResponseHead.parse(buffer.take(end));
      buffer = buffer.drop(end + 4);
      if (head.status() == 101) return Optional.of(accepted(head));
      refusal = head;
    }
    return refusalBody().map(this::refused);
  }

  /** The backend closed its connection: a refusal without a length or chunks ends with it; anything else failed. */
  public UpgradeAnswer end() {
    if (refusal != null && refusal.header("content-length").isEmpty() && !isChunked(refusal)) return refused(buffer);
    throw new HandshakeFailed("the backend closed the connection during the upgrade");
  }

  /** After a 101: the frames the backend sent right behind it. */
  public ByteString rest() {
    return buffer;
  }

  private UpgradeAnswer accepted(ResponseHead head) {
    if (!head.headerHasToken("upgrade", "websocket") || !head.headerHasToken("connection", "upgrade")) {
      throw new HandshakeFailed("a 101 without Upgrade: websocket and Connection: Upgrade");
    }
    if (!head.header("sec-websocket-accept").equals(Optional.of(request.expectedAccept()))) {
      throw new HandshakeFailed("a 101 with a wrong Sec-WebSocket-Accept");
    }
    return new UpgradeAnswer.Accepted(head.header("sec-websocket-protocol"));
  }

  private Optional<ByteString> refusalBody() {
    Optional<String> length = refusal.header("content-length");
    if (length.isPresent()) {
      long expected;
      try {
        expected = Long.parseLong(length.get());
      } catch (NumberFormatException e) {
        throw new HandshakeFailed("bad Content-Length: " + length.get());
      }
      if (expected > limits.maxBodyBytes()) throw new HandshakeFailed("the refusal's body is over " + limits.maxBodyBytes() + " bytes");
      return buffer.size() >= expected ? Optional.of(buffer.take((int) expected)) : Optional.empty();
    }
    if (buffer.size() > limits.maxBodyBytes()) throw new HandshakeFailed("the refusal's body is over " + limits.maxBodyBytes() + " bytes");
    return isChunked(refusal) ? Chunked.decode(buffer) : Optional.empty();
  }

  private UpgradeAnswer refused(ByteString body) {
    return new UpgradeAnswer.Refused(refusal.status(), refusal.render(body));
  }

  private static boolean isChunked(ResponseHead head) {
    return head.headerHasToken("transfer-encoding", "chunked");
  }
}
