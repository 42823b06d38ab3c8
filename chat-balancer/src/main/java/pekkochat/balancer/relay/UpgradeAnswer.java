package pekkochat.balancer.relay;

import java.util.Optional;
import org.apache.pekko.util.ByteString;

/** What a backend answered to the upgrade: 101, or a refusal the client gets as it came. */
public sealed interface UpgradeAnswer {

  /** 101 with a valid {@code Sec-WebSocket-Accept}; frames follow. */
  record Accepted(Optional<String> subprotocol) implements UpgradeAnswer {}

  /**
   * Any other status (401, 403, 429, 503 ...): {@code bytes} is the answer as the client gets
   * it, status line, headers and whole body, ready for the wire.
   */
  record Refused(int status, ByteString bytes) implements UpgradeAnswer {}
}
