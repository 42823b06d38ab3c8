package pekkochat.ops;

/**
 * Whether the node takes traffic. Read by HTTP threads on every {@code /readyz}; written by the
 * node's guardian (started, storage checks), the Redis bridge and the drain, so volatile fields
 * are all the coordination it needs. A ready node whose database stops answering reports
 * {@code storage_unavailable} until it answers again; a bridged node whose Redis subscription
 * broke reports {@code redis_unavailable} until it stands again.
 */
public final class Readiness {
  public enum State { STARTING, READY, STORAGE_UNAVAILABLE, REDIS_UNAVAILABLE, DRAINING }

  private enum Life { STARTING, READY, DRAINING }

  private volatile Life life = Life.STARTING;
  private volatile boolean storageDown;
  private volatile boolean redisDown;

  public State state() {
    Life now = life;
    if (now == Life.DRAINING) return State.DRAINING;
    // a bridged node that cannot reach Redis says so, starting or not: it keeps trying
    if (redisDown) return State.REDIS_UNAVAILABLE;
    if (now == Life.STARTING) return State.STARTING;
    return storageDown ? State.STORAGE_UNAVAILABLE : State.READY;
  }

  public boolean isReady() {
    return state() == State.READY;
  }

  public void ready() {
    if (life == Life.STARTING) life = Life.READY;
  }

  /** The database did not answer a check: take no new traffic until it does. */
  public void storageUnavailable() {
    storageDown = true;
  }

  /** The database answers again. */
  public void storageAvailable() {
    storageDown = false;
  }

  /** Whether this bridged node's Redis subscription stands: without it, other nodes' events do not arrive. */
  public void redis(boolean up) {
    redisDown = !up;
  }

  public void draining() {
    life = Life.DRAINING;
  }
}
