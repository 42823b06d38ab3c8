package pekkochat.wire;

import java.util.Locale;

/** The error codes of PROTOCOL.md section 5, with the HTTP status each answers with on REST. */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  RATE_LIMITED(429),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The wire name: {@code bad_request}, {@code unauthorized}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
