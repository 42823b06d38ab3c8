package pekkochat.connection;

/** Why the server closes a socket: the {@code reason} of the closing frame (PROTOCOL.md §5). */
public enum CloseReason {
  BINARY_FRAME("binary_frame"),
  TOO_LARGE("too_large"),
  SLOW_CONSUMER("slow_consumer"),
  DRAINING("draining"),
  TOKEN_EXPIRED("token_expired"),
  IDLE("idle");

  private final String wire;

  CloseReason(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
