package pekkochat.connection;

/**
 * Why the server closes a socket: the {@code reason} of the closing frame (PROTOCOL.md §5).
 * The close frame itself always says 1000: clients act on the reason, and Pekko's client-side
 * message API (the balancer's proxy) takes any code but 1000 and 1001 as a failure of the node.
 */
public enum CloseReason {
  BINARY_FRAME("binary_frame"),
  /** A text frame that is not UTF-8: not text, so told as {@code binary_frame} (docs/websocket-frames.md). */
  INVALID_TEXT("binary_frame"),
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
