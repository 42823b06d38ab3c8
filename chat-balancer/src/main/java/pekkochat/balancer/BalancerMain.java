package pekkochat.balancer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;

/** {@code java -jar chat-balancer.jar}: configured by {@code BALANCER_PORT}, {@code BALANCER_BACKENDS} and HOCON. */
public final class BalancerMain {

  private BalancerMain() {}

  public static void main(String[] args) {
    Config config = ConfigFactory.load();
    ActorSystem.create(Balancer.create(BalancerSettings.fromConfig(config)), "balancer", config);
  }
}
