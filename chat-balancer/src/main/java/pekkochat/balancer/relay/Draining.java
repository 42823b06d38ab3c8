package pekkochat.balancer.relay;

/** Why the balancer ends a socket the node had not ended: the balancer stops (its drain switch). */
public final class Draining extends RuntimeException {
  public Draining() {
    super("balancer draining", null, false, false);
  }
}
