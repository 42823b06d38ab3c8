package pekkochat.balancer.relay;

/** The backend's answer to the upgrade was not HTTP, not a valid WebSocket answer, too large or too late. */
public final class HandshakeFailed extends RuntimeException {
  public HandshakeFailed(String message) {
    super(message, null, false, false);
  }
}
