package pekkochat.balancer.support;

/** Runs a {@link RawWsBackend} as its own process, so that a test can {@code kill -9} it mid-frame. */
public final class RawWsBackendMain {

  private RawWsBackendMain() {}

  /** Argument: port. Runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    new RawWsBackend(Integer.parseInt(args[0]));
    Thread.currentThread().join();
  }
}
