package pekkochat.balancer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.ServerBinding;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.front.Front;

/**
 * The balancer's stop (SIGTERM runs CoordinatedShutdown): stop accepting connections, let open
 * sockets go on up to the drain timeout, then send each a {@code closing} frame with reason
 * {@code draining} and close it, and finally cut whatever is left.
 */
final class GracefulStop {

  private GracefulStop() {}

  static void register(
      ActorSystem<?> system, CompletionStage<ServerBinding> binding, CompletionStage<Front> front,
      ActorRef<BackendPool.Command> pool, BalancerSettings settings) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    BalancerSettings.Drain drain = settings.drain();

    // the public port closes; the HTTP server behind it stays for the connections still open
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "balancer-unbind",
        () -> front.thenAccept(Front::unbind).exceptionally(e -> null).thenApply(u -> Done.getInstance()));

    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "balancer-drain-sockets", () -> {
      system.log().info("balancer stopping: open sockets may finish for {}", drain.timeout());
      return untilNoSockets(system, pool, settings, Instant.now().plus(drain.timeout()))
          .thenCompose(d -> {
            front.thenAccept(Front::drain);
            return untilNoSockets(system, pool, settings, Instant.now().plus(drain.closeGrace()));
          });
    });

    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "balancer-terminate", () -> {
      CompletionStage<?> server = binding.thenCompose(b -> b.terminate(drain.closeGrace()));
      CompletionStage<?> loops = front.thenCompose(f -> f.stop(drain.closeGrace()));
      return server.thenCombine(loops, (s, l) -> Done.getInstance());
    });
  }

  /** Completes when no proxied socket is open any more, or at the deadline, whichever comes first. */
  private static CompletionStage<Done> untilNoSockets(
      ActorSystem<?> system, ActorRef<BackendPool.Command> pool, BalancerSettings settings, Instant deadline) {
    return AskPattern.<BackendPool.Command, BackendPool.Status>ask(pool, BackendPool.GetStatus::new, settings.askTimeout(), system.scheduler())
        .exceptionally(e -> null)
        .thenCompose(status -> {
          if ((status != null && status.openSockets() == 0) || !Instant.now().isBefore(deadline)) {
            return CompletableFuture.completedFuture(Done.getInstance());
          }
          Duration poll = settings.drain().pollInterval();
          return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(poll.toMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(x -> untilNoSockets(system, pool, settings, deadline));
        });
  }
}
