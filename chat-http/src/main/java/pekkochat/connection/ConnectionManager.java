package pekkochat.connection;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import pekkochat.auth.Principal;

/**
 * Parent of this node's connections: spawns one per socket, holds each user to
 * {@code chat.ws.max-sockets-per-user} on this node, and drains them all on shutdown.
 */
public final class ConnectionManager extends AbstractBehavior<ConnectionManager.Command> {

  public interface Command {}

  /** Answered with the new connection, or empty when the user is at the socket cap. */
  record Open(Principal principal, Outbound outbound, ActorRef<Optional<ActorRef<ConnectionActor.Command>>> replyTo)
      implements Command {}

  /** Close every socket with {@code draining}; answers when all have stopped. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  private record Gone(ActorRef<ConnectionActor.Command> connection, String user) implements Command {}

  public static Behavior<Command> create(ConnectionActor.Context shared) {
    return Behaviors.setup(ctx -> new ConnectionManager(ctx, shared));
  }

  private final ConnectionActor.Context shared;
  private final Set<ActorRef<ConnectionActor.Command>> connections = new HashSet<>();
  private final Map<String, Integer> socketsPerUser = new HashMap<>();
  private final Set<ActorRef<Done>> drainWaiters = new HashSet<>();
  private boolean draining;
  private long opened;

  private ConnectionManager(ActorContext<Command> ctx, ConnectionActor.Context shared) {
    super(ctx);
    this.shared = shared;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Open.class, this::onOpen)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(Gone.class, this::onGone)
        .build();
  }

  private Behavior<Command> onOpen(Open open) {
    String user = open.principal().username();
    int held = socketsPerUser.getOrDefault(user, 0);
    if (held >= shared.settings().maxSocketsPerUser()) {
      open.replyTo().tell(Optional.empty());
      return this;
    }
    socketsPerUser.put(user, held + 1);
    ActorRef<ConnectionActor.Command> connection =
        getContext().spawn(ConnectionActor.create(open.principal(), open.outbound(), shared), "socket-" + (++opened));
    getContext().watchWith(connection, new Gone(connection, user));
    connections.add(connection);
    // A socket that opens while the node drains is told at once to go elsewhere.
    if (draining) connection.tell(new ConnectionActor.Close(CloseReason.DRAINING, "this node is stopping"));
    open.replyTo().tell(Optional.of(connection));
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    draining = true;
    drainWaiters.add(drain.replyTo());
    for (ActorRef<ConnectionActor.Command> c : connections) {
      c.tell(new ConnectionActor.Close(CloseReason.DRAINING, "this node is stopping; reconnect and resume"));
    }
    answerDrainedIfDone();
    return this;
  }

  private Behavior<Command> onGone(Gone gone) {
    connections.remove(gone.connection());
    socketsPerUser.computeIfPresent(gone.user(), (u, n) -> n > 1 ? n - 1 : null);
    answerDrainedIfDone();
    return this;
  }

  private void answerDrainedIfDone() {
    if (!draining || !connections.isEmpty()) return;
    for (ActorRef<Done> waiter : drainWaiters) waiter.tell(Done.getInstance());
    drainWaiters.clear();
  }
}
