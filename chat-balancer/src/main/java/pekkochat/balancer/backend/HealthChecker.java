package pekkochat.balancer.backend;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectHttp;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Asks every backend's readiness path once an interval and reports each answer to the pool. Each
 * check uses a fresh connection, so a check never queues behind proxied traffic or a stale pooled
 * connection, and a hung backend costs one connection at a time.
 */
public final class HealthChecker {

  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Done(BackendAddress backend) implements Command {}

  public record Settings(String path, Duration interval, Duration timeout) {}

  public static Behavior<Command> create(List<BackendAddress> backends, Settings settings, ActorRef<BackendPool.Command> pool) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerAtFixedRate(Tick.INSTANCE, Duration.ZERO, settings.interval());
      Http http = Http.get(ctx.getSystem());
      Materializer materializer = Materializer.matFromSystem(ctx.getSystem());
      Clock clock = Clock.systemUTC();
      // backends whose previous check has not finished yet are skipped, never checked twice at once
      Set<BackendAddress> inFlight = new HashSet<>();
      return Behaviors.receive(Command.class)
          .onMessage(Tick.class, tick -> {
            for (BackendAddress backend : backends) {
              if (!inFlight.add(backend)) continue;
              check(http, materializer, backend, settings).whenComplete((status, error) -> {
                CheckResult result = error != null
                    ? CheckResult.unanswered(CheckResult.describe(error), clock.instant())
                    : CheckResult.answered(status, clock.instant());
                pool.tell(new BackendPool.Checked(backend, result));
                ctx.getSelf().tell(new Done(backend));
              });
            }
            return Behaviors.same();
          })
          .onMessage(Done.class, done -> {
            inFlight.remove(done.backend());
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static CompletionStage<Integer> check(Http http, Materializer materializer, BackendAddress backend, Settings settings) {
    return Source.single(HttpRequest.GET(settings.path()))
        .via(http.outgoingConnection(ConnectHttp.toHost(backend.host(), backend.port())))
        .mapAsync(1, response -> response.discardEntityBytes(materializer).completionStage().thenApply(d -> response.status().intValue()))
        // fails the stream, and so closes the connection, of a backend that accepts but does not answer
        .completionTimeout(settings.timeout())
        .runWith(Sink.head(), materializer);
  }
}
