package pekkochat.balancer.relay;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** What a backend answered to the upgrade: 101, or a refusal the client gets as it came. */
public sealed interface UpgradeAnswer {

  /** 101 with a valid {@code Sec-WebSocket-Accept}; frames follow. */
  record Accepted(Optional<String> subprotocol) implements UpgradeAnswer {}

  /** Any other status, with its headers and its whole body (401, 403, 429, 503 ...). */
  record Refused(HttpResponse response) implements UpgradeAnswer {}
}
