package pekkochat.ops;

/**
 * Whether the node takes traffic. Read by HTTP threads on every {@code /readyz}, written at most
 * twice in a node's life, so a volatile field is all the coordination it needs.
 */
public final class Readiness {
  public enum State { STARTING, READY, DRAINING }

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

  public void draining() {
    state = State.DRAINING;
  }
}
