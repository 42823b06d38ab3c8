package pekkochat.balancer.backend;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The backends, their health and their load: the only place that state lives. Chooses a backend
 * for each new socket (fewest open proxied sockets, ties in turn) and each request (in turn).
 */
public final class BackendPool extends AbstractBehavior<BackendPool.Command> {

  public sealed interface Command {}

  /** What the chosen backend will carry. */
  public enum Kind {
    /** a WebSocket: counted as open until {@link SocketClosed} */
    SOCKET,
    /** a plain HTTP request */
    REQUEST
  }

  /** Choose a usable backend not in {@code exclude} (those already tried for this client). */
  public record Choose(Kind kind, Set<BackendAddress> exclude, ActorRef<Chosen> replyTo) implements Command {}

  /** The choice; empty when no usable backend is left. */
  public record Chosen(Optional<BackendAddress> backend) {}

  /** A socket counted by {@code Choose(SOCKET)} has ended, or never opened. */
  public record SocketClosed(BackendAddress backend) implements Command {}

  /** An active check finished. */
  public record Checked(BackendAddress backend, CheckResult result) implements Command {}

  /** Connecting to the backend failed while proxying: take it out now, checks bring it back. */
  public record ConnectFailed(BackendAddress backend, String reason) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(List<BackendState> backends) {
    public int openSockets() {
      return backends.stream().mapToInt(BackendState::openSockets).sum();
    }
  }

  /**
   * Consecutive check results that flip a backend: {@code rise} passed ones bring it up; {@code
   * fall} failed ones take it down, or already {@code fallNotReady} when the backend itself
   * answered that it is not ready (a draining node should get no new socket a moment longer).
   */
  public record Thresholds(int rise, int fall, int fallNotReady) {}

  public static Behavior<Command> create(List<BackendAddress> backends, Thresholds thresholds, MeterRegistry registry) {
    return Behaviors.setup(ctx -> new BackendPool(ctx, backends, thresholds, new PoolMetrics(registry, backends)));
  }

  private final List<BackendState> states = new ArrayList<>();
  private final Thresholds thresholds;
  private final PoolMetrics metrics;
  private final Clock clock = Clock.systemUTC();
  /** index the next tie (or the next request) starts looking at, so equal backends take turns */
  private int cursor;

  private BackendPool(ActorContext<Command> ctx, List<BackendAddress> backends, Thresholds thresholds, PoolMetrics metrics) {
    super(ctx);
    this.thresholds = thresholds;
    this.metrics = metrics;
    backends.forEach(b -> states.add(BackendState.initial(b)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Choose.class, this::onChoose)
        .onMessage(SocketClosed.class, m -> update(m.backend(), BackendState::withSocketClosed))
        .onMessage(Checked.class, m -> update(m.backend(), s -> s.afterCheck(m.result(), thresholds)))
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private Behavior<Command> onChoose(Choose choose) {
    int chosen = choose.kind() == Kind.SOCKET ? fewestSockets(choose.exclude()) : nextInTurn(choose.exclude());
    if (chosen < 0) {
      choose.replyTo().tell(new Chosen(Optional.empty()));
      return this;
    }
    cursor = (chosen + 1) % states.size();
    BackendState before = states.get(chosen);
    BackendState after = choose.kind() == Kind.SOCKET ? before.withSocketOpened() : before.withRequestProxied();
    replace(chosen, before, after);
    choose.replyTo().tell(new Chosen(Optional.of(after.address())));
    return this;
  }

  /** The usable backend with the fewest open sockets; among equals, the first from the cursor on. */
  private int fewestSockets(Set<BackendAddress> exclude) {
    int best = -1;
    for (int step = 0; step < states.size(); step++) {
      int i = (cursor + step) % states.size();
      BackendState s = states.get(i);
      if (!eligible(s, exclude)) continue;
      if (best < 0 || s.openSockets() < states.get(best).openSockets()) best = i;
    }
    return best;
  }

  private int nextInTurn(Set<BackendAddress> exclude) {
    for (int step = 0; step < states.size(); step++) {
      int i = (cursor + step) % states.size();
      if (eligible(states.get(i), exclude)) return i;
    }
    return -1;
  }

  private static boolean eligible(BackendState s, Set<BackendAddress> exclude) {
    return s.usable() && !exclude.contains(s.address());
  }

  private Behavior<Command> onConnectFailed(ConnectFailed failed) {
    if (indexOf(failed.backend()) >= 0 && stateOf(failed.backend()).usable()) {
      getContext().getLog().warn("backend {} marked down: connection failed: {}", failed.backend(), failed.reason());
    }
    return update(failed.backend(), s -> s.markedDown(CheckResult.unanswered("connection failed: " + failed.reason(), clock.instant())));
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo().tell(new Status(List.copyOf(states)));
    return this;
  }

  private Behavior<Command> update(BackendAddress backend, UnaryOperator<BackendState> change) {
    int i = indexOf(backend);
    if (i < 0) return this;
    BackendState before = states.get(i);
    BackendState after = change.apply(before);
    if (before.health() != after.health()) {
      getContext().getLog().info("backend {} is now {} ({})", backend, after.health(), after.lastCheck().detail());
    }
    replace(i, before, after);
    return this;
  }

  private void replace(int i, BackendState before, BackendState after) {
    states.set(i, after);
    metrics.update(before, after);
  }

  private BackendState stateOf(BackendAddress backend) {
    return states.get(indexOf(backend));
  }

  private int indexOf(BackendAddress backend) {
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i).address().equals(backend)) return i;
    }
    return -1;
  }
}
