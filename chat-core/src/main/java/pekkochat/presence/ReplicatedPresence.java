package pekkochat.presence;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** {@link Presence} across the cluster, backed by this node's {@link PresenceReplica}. */
public final class ReplicatedPresence implements Presence {
  private final ActorRef<PresenceReplica.Command> replica;
  private final Scheduler scheduler;
  private final Duration askTimeout;

  public ReplicatedPresence(ActorRef<PresenceReplica.Command> replica, Scheduler scheduler, Duration askTimeout) {
    this.replica = replica;
    this.scheduler = scheduler;
    this.askTimeout = askTimeout;
  }

  @Override
  public void connected(String user, ActorRef<?> socket) {
    replica.tell(new PresenceReplica.Connected(user, socket));
  }

  @Override
  public void statusSet(String user, PresenceStatus status) {
    replica.tell(new PresenceReplica.SetStatus(user, status));
  }

  @Override
  public CompletionStage<Map<String, PresenceStatus>> lookup(Collection<String> users) {
    List<String> copy = List.copyOf(users);
    return AskPattern.ask(replica, replyTo -> new PresenceReplica.Lookup(copy, replyTo), askTimeout, scheduler);
  }
}
