package pekkochat.balancer.proxy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.CheckResult;
import pekkochat.balancer.backend.BackendPool;

/** Asks the pool for a backend; both proxies choose through it. */
public final class BackendChoice {

  private final ActorRef<BackendPool.Command> pool;
  private final Scheduler scheduler;
  private final Duration timeout;

  public BackendChoice(ActorRef<BackendPool.Command> pool, Scheduler scheduler, Duration timeout) {
    this.pool = pool;
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  public CompletionStage<Optional<BackendAddress>> choose(BackendPool.Kind kind, Set<BackendAddress> exclude) {
    return AskPattern.<BackendPool.Command, BackendPool.Chosen>ask(
            pool, replyTo -> new BackendPool.Choose(kind, exclude, replyTo), timeout, scheduler)
        .thenApply(BackendPool.Chosen::backend);
  }

  public void socketClosed(BackendAddress backend) {
    pool.tell(new BackendPool.SocketClosed(backend));
  }

  public void connectFailed(BackendAddress backend, Throwable error) {
    pool.tell(new BackendPool.ConnectFailed(backend, CheckResult.describe(error)));
  }
}
