package pekkochat.balancer.backend;

/**
 * What the pool knows about one backend. Immutable: the pool replaces it on every change.
 *
 * @param streak consecutive check results that disagree with {@code health} (counts towards rise or fall)
 */
public record BackendState(
    BackendAddress address, Health health, int streak, int openSockets, long requestsProxied, CheckResult lastCheck) {

  static BackendState initial(BackendAddress address) {
    return new BackendState(address, Health.UNKNOWN, 0, 0, 0, null);
  }

  public boolean usable() {
    return health == Health.UP;
  }

  /**
   * Applies a check result with rise/fall thresholds. The first result decides at once: a fresh
   * balancer in front of a running fleet should not wait {@code rise} intervals to serve.
   */
  BackendState afterCheck(CheckResult result, BackendPool.Thresholds thresholds) {
    if (health == Health.UNKNOWN) {
      return new BackendState(address, result.passed() ? Health.UP : Health.DOWN, 0, openSockets, requestsProxied, result);
    }
    boolean agrees = result.passed() == (health == Health.UP);
    if (agrees) return new BackendState(address, health, 0, openSockets, requestsProxied, result);
    int newStreak = streak + 1;
    int threshold = health == Health.UP
        ? (result.answered() ? Math.min(thresholds.fall(), thresholds.fallNotReady()) : thresholds.fall())
        : thresholds.rise();
    if (newStreak >= threshold) {
      Health flipped = health == Health.UP ? Health.DOWN : Health.UP;
      return new BackendState(address, flipped, 0, openSockets, requestsProxied, result);
    }
    return new BackendState(address, health, newStreak, openSockets, requestsProxied, result);
  }

  /** A connection to it failed: down at once; active checks bring it back after {@code rise} passes. */
  BackendState markedDown(CheckResult observation) {
    return new BackendState(address, Health.DOWN, 0, openSockets, requestsProxied, observation);
  }

  BackendState withSocketOpened() {
    return new BackendState(address, health, streak, openSockets + 1, requestsProxied + 1, lastCheck);
  }

  BackendState withSocketClosed() {
    return new BackendState(address, health, streak, Math.max(0, openSockets - 1), requestsProxied, lastCheck);
  }

  BackendState withRequestProxied() {
    return new BackendState(address, health, streak, openSockets, requestsProxied + 1, lastCheck);
  }
}
