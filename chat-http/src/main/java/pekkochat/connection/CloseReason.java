package pekkochat.connection;

/**
 * Why the server closes a socket: the {@code reason} of the closing frame (PROTOCOL.md §5), and
 * the close frame's code (RFC 6455 7.4.1; clients act on the reason, the code only informs).
 */
public enum CloseReason {
  BINARY_FRAME("binary_frame", 1003),
  /** A text frame that is not UTF-8: not text, so told as {@code binary_frame} (docs/websocket-frames.md). */
  INVALID_TEXT("binary_frame", 1007),
  TOO_LARGE("too_large", 1009),
  SLOW_CONSUMER("slow_consumer", 1008),
  DRAINING("draining", 1001),
  TOKEN_EXPIRED("token_expired", 1008),
  IDLE("idle", 1000);

  private final String wire;
  private final int closeCode;

  CloseReason(String wire, int closeCode) {
    this.wire = wire;
    this.closeCode = closeCode;
  }

  public String wire() {
    return wire;
  }

  int closeCode() {
    return closeCode;
  }
}
