package pekkochat.ops;

/**
 * Whether the node takes traffic. Read by HTTP threads on every {@code /readyz}; written by the
 * node's guardian (started, storage checks) and by the drain, so volatile fields are all the
 * coordination it needs. A ready node whose database stops answering reports
 * {@code storage_unavailable} until it answers again.
 */
public final class Readiness {
  public enum State { STARTING, READY, STORAGE_UNAVAILABLE, DRAINING }

  private volatile State state = State.STARTING;

  public State state() {
    return state;
  }

  public boolean isReady() {
    return state == State.READY;
  }

  public void ready() {
    if (state == State.STARTING) state = State.READY;
  }

  /** The database did not answer a check: take no new traffic until it does. */
  public void storageUnavailable() {
    if (state == State.READY) state = State.STORAGE_UNAVAILABLE;
  }

  /** The database answers again. */
  public void storageAvailable() {
    if (state == State.STORAGE_UNAVAILABLE) state = State.READY;
  }

  public void draining() {
    state = State.DRAINING;
  }
}
