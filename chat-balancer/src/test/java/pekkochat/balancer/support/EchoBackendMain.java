package pekkochat.balancer.support;

/** Runs an {@link EchoBackend} as its own process, so that a test can {@code kill -9} it. */
public final class EchoBackendMain {

  private EchoBackendMain() {}

  /** Arguments: name, port. Runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    new EchoBackend(args[0], Integer.parseInt(args[1]));
    Thread.currentThread().join();
  }
}
