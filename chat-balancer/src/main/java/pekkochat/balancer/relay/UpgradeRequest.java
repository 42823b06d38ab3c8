package pekkochat.balancer.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.util.ByteString;

/**
 * The HTTP/1.1 upgrade request the balancer writes to a backend itself (RFC 6455 section 4.1), and
 * the {@code Sec-WebSocket-Accept} a genuine WebSocket answer must carry.
 *
 * @param key the {@code Sec-WebSocket-Key} sent
 * @param bytes the request head, ready for the wire
 */
public record UpgradeRequest(String key, ByteString bytes) {

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /**
   * {@code headers}: what the client's request passes on ({@code Host} among them, see
   * ForwardedHeaders); the handshake's own headers are written here, never taken from the client.
   */
  public static UpgradeRequest create(String pathAndQuery, List<HttpHeader> headers, Iterable<String> subprotocols) {
    // the key only proves that the answer comes from a WebSocket server (RFC 6455 section 1.3),
    // it protects nothing: a fast non-cryptographic random is enough
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    StringBuilder head = new StringBuilder(512)
        .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
    for (HttpHeader h : headers) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
        .append("Sec-WebSocket-Key: ").append(key).append("\r\n");
    String protocols = String.join(", ", subprotocols);
    if (!protocols.isEmpty()) head.append("Sec-WebSocket-Protocol: ").append(protocols).append("\r\n");
    head.append("\r\n");
    // Pekko read the client's header values as ISO-8859-1 (RFC 9110 section 5.5): written back the same, they stay byte for byte
    return new UpgradeRequest(key, ByteString.fromString(head.toString(), StandardCharsets.ISO_8859_1));
  }

  /** What the answer to this request must carry as {@code Sec-WebSocket-Accept}. */
  public String expectedAccept() {
    return acceptFor(key);
  }

  /** base64(SHA-1(key + GUID)), RFC 6455 section 4.2.2: the answer to a client's {@code Sec-WebSocket-Key} too. */
  public static String acceptFor(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
