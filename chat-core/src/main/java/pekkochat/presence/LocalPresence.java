package pekkochat.presence;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** {@link Presence} on one node, backed by a {@link PresenceTracker}. */
public final class LocalPresence implements Presence {
  private final ActorRef<PresenceTracker.Command> tracker;
  private final Scheduler scheduler;
  private final Duration askTimeout;

  public LocalPresence(ActorRef<PresenceTracker.Command> tracker, Scheduler scheduler, Duration askTimeout) {
    this.tracker = tracker;
    this.scheduler = scheduler;
    this.askTimeout = askTimeout;
  }

  @Override
  public void connected(String user, ActorRef<?> socket) {
    tracker.tell(new PresenceTracker.Connected(user, socket));
  }

  @Override
  public void statusSet(String user, PresenceStatus status) {
    tracker.tell(new PresenceTracker.SetStatus(user, status));
  }

  @Override
  public CompletionStage<Map<String, PresenceStatus>> lookup(Collection<String> users) {
    List<String> copy = List.copyOf(users);
    return AskPattern.ask(tracker, replyTo -> new PresenceTracker.Lookup(copy, replyTo), askTimeout, scheduler);
  }
}
