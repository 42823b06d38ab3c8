package pekkochat.balancer.backend;

import java.time.Instant;

/**
 * The outcome of one active health check, or of a passive observation of a failed connection.
 *
 * @param passed whether the backend answered 200 on its readiness path
 * @param answered whether the backend answered at all: a "not ready" answer (503 while starting
 *     or draining) is the backend's own word, a timeout or a refused connection may be a blip
 * @param detail the status it answered ("200", "503") or why it did not answer
 * @param at when the result was taken
 */
public record CheckResult(boolean passed, boolean answered, String detail, Instant at) {

  public static CheckResult answered(int status, Instant at) {
    return new CheckResult(status == 200, true, Integer.toString(status), at);
  }

  public static CheckResult unanswered(String detail, Instant at) {
    return new CheckResult(false, false, detail, at);
  }

  /** The root cause of a failed check or connection, short enough for the status page. */
  public static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
