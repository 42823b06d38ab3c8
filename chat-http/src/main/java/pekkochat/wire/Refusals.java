package pekkochat.wire;

import pekkochat.room.Refusal;

/** A room's refusal as PROTOCOL.md's error code. */
public final class Refusals {
  private Refusals() {}

  public static ErrorCode code(Refusal refusal) {
    return switch (refusal) {
      case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
      case FORBIDDEN -> ErrorCode.FORBIDDEN;
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case CONFLICT -> ErrorCode.CONFLICT;
      case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
    };
  }
}
