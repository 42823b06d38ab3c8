package pekkochat.presence;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The node-local presence: one actor holding each user's open sockets and chosen status. */
public final class PresenceTracker extends AbstractBehavior<PresenceTracker.Command> {

  public interface Command {}

  public record Connected(String user, ActorRef<?> socket) implements Command {}

  public record SetStatus(String user, PresenceStatus status) implements Command {}

  public record Lookup(Collection<String> users, ActorRef<Map<String, PresenceStatus>> replyTo) implements Command {}

  private record SocketGone(String user, ActorRef<?> socket) implements Command {}

  /** A user with at least one open socket. */
  private static final class Online {
    final Set<ActorRef<?>> sockets = new HashSet<>();
    PresenceStatus status = PresenceStatus.ONLINE;
  }

  public static Behavior<Command> create(PresenceAnnouncer announcer) {
    return Behaviors.setup(ctx -> new PresenceTracker(ctx, announcer));
  }

  private final PresenceAnnouncer announcer;
  private final Map<String, Online> online = new HashMap<>();

  private PresenceTracker(ActorContext<Command> ctx, PresenceAnnouncer announcer) {
    super(ctx);
    this.announcer = announcer;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(SetStatus.class, this::onSetStatus)
        .onMessage(SocketGone.class, this::onSocketGone)
        .onMessage(Lookup.class, this::onLookup)
        .build();
  }

  private Behavior<Command> onConnected(Connected c) {
    Online user = online.get(c.user());
    boolean first = user == null;
    if (first) {
      user = new Online();
      online.put(c.user(), user);
    }
    if (user.sockets.add(c.socket())) getContext().watchWith(c.socket(), new SocketGone(c.user(), c.socket()));
    if (first) announcer.announce(c.user(), PresenceStatus.ONLINE);
    return this;
  }

  private Behavior<Command> onSetStatus(SetStatus s) {
    Online user = online.get(s.user());
    if (user != null && user.status != s.status()) {
      user.status = s.status();
      announcer.announce(s.user(), s.status());
    }
    return this;
  }

  private Behavior<Command> onSocketGone(SocketGone gone) {
    Online user = online.get(gone.user());
    if (user != null && user.sockets.remove(gone.socket()) && user.sockets.isEmpty()) {
      online.remove(gone.user());
      announcer.announce(gone.user(), PresenceStatus.OFFLINE);
    }
    return this;
  }

  private Behavior<Command> onLookup(Lookup lookup) {
    Map<String, PresenceStatus> statuses = new HashMap<>();
    for (String user : lookup.users()) {
      Online o = online.get(user);
      statuses.put(user, o == null ? PresenceStatus.OFFLINE : o.status);
    }
    lookup.replyTo().tell(statuses);
    return this;
  }
}
