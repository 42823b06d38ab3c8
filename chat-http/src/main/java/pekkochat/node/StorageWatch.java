package pekkochat.node;

import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import pekkochat.ops.Readiness;
import pekkochat.storage.Database;

/**
 * Keeps {@code /readyz} honest about the database once the node is ready: every check-interval it
 * asks the pool for a connection that answers within check-timeout, and reports the node
 * {@code storage_unavailable} while none does, so balancers send new sockets elsewhere (or, when
 * every node shares the database, operators see the outage where they look first).
 */
final class StorageWatch {
  sealed interface Command {}

  private record Check() implements Command {}

  private record Checked(boolean answered) implements Command {}

  private StorageWatch() {}

  static Behavior<Command> create(Database database, Readiness readiness, Duration interval, Duration timeout) {
    int timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Check(), interval);
      return Behaviors.receive(Command.class)
          .onMessage(Check.class, check -> {
            ctx.pipeToSelf(
                database.withConnection(connection -> connection.isValid(timeoutSeconds)).toCompletableFuture()
                    .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                (valid, failure) -> new Checked(failure == null && valid));
            return Behaviors.same();
          })
          .onMessage(Checked.class, checked -> {
            Readiness.State before = readiness.state();
            if (checked.answered()) readiness.storageAvailable();
            else readiness.storageUnavailable();
            if (readiness.state() != before) ctx.getLog().warn("readiness: {} -> {}", before, readiness.state());
            return Behaviors.same();
          })
          .build();
    }));
  }
}
