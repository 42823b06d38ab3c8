package pekkochat.connection;

import pekkochat.room.Refusal;

/** A room's refusal as PROTOCOL.md's error code. */
public final class Refusals {
  private Refusals() {}

  public static String code(Refusal refusal) {
    return switch (refusal) {
      case BAD_REQUEST -> "bad_request";
      case FORBIDDEN -> "forbidden";
      case NOT_FOUND -> "not_found";
      case CONFLICT -> "conflict";
    };
  }
}
