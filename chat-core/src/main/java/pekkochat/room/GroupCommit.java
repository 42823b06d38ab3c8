package pekkochat.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import pekkochat.common.EpochNanos;

/**
 * A room's only way to its journal (DESIGN.md rule 2). While a write is in flight, Pekko stashes
 * the room's commands; the write's completion sends the room a {@link RoomSelf.Flush}, which lands
 * behind them, so the sends among them wait here and go together in the next single write. Every
 * change is acknowledged only after its write is durable; when a write fails, the room stops and
 * {@link #failAll} answers every change of it {@code unavailable}. Behind a closed {@link WriteFence}
 * nothing is written and every change is answered {@code unavailable} at once.
 */
final class GroupCommit {

  /** What to do once a change is durable, given the state after its batch and the change's seq. */
  @FunctionalInterface
  interface Durable {
    void run(RoomState state, long seq);
  }

  /** A change that waits for the next write, or is in the one in flight. */
  private static final class Change {
    final RoomEvent event;
    final List<Durable> onDurable = new ArrayList<>(1);
    final List<ActorRef<? super RoomProtocol.Rejected>> failTo = new ArrayList<>(1);

    Change(RoomEvent event, Durable onDurable, ActorRef<? super RoomProtocol.Rejected> failTo) {
      this.event = event;
      this.onDurable.add(onDurable);
      if (failTo != null) this.failTo.add(failTo);
    }
  }

  private static final RoomProtocol.Rejected WRITE_FAILED =
      new RoomProtocol.Rejected(Refusal.UNAVAILABLE, "the room could not store this; retry with the same clientId");

  private final EffectFactories<RoomEvent, RoomState> effect;
  private final ActorRef<RoomProtocol.Command> self;
  private final Subscribers subscribers;
  private final RoomMetrics metrics;
  private final WriteFence fence;
  private final int maxBatch;
  private final List<Change> waiting = new ArrayList<>();
  private List<Change> inFlight = List.of();
  /** True from a write's completion until its Flush: sends then wait for the batch. */
  private boolean collecting;

  GroupCommit(
      EffectFactories<RoomEvent, RoomState> effect, ActorRef<RoomProtocol.Command> self, Subscribers subscribers,
      RoomMetrics metrics, WriteFence fence, int maxBatch) {
    this.effect = effect;
    this.self = self;
    this.subscribers = subscribers;
    this.metrics = metrics;
    this.fence = fence;
    this.maxBatch = maxBatch;
  }

  /** A send: it waits for the batch if one is being gathered, else it is written at once. */
  Effect<RoomEvent, RoomState> send(RoomEvent.MessagePosted event, Durable onDurable, ActorRef<? super RoomProtocol.Rejected> failTo) {
    waiting.add(new Change(event, onDurable, failTo));
    return collecting && waiting.size() < maxBatch ? effect.none() : write();
  }

  /** Any other change goes now, after what waits, so that changes keep the order they came in. */
  Effect<RoomEvent, RoomState> change(RoomEvent event, Durable onDurable, ActorRef<? super RoomProtocol.Rejected> failTo) {
    waiting.add(new Change(event, onDurable, failTo));
    return write();
  }

  /** A retry of a send that waits for the batch: it is answered with the first one. */
  boolean joinWaitingSend(String user, String clientId, Durable onDurable) {
    Optional<Change> same = waiting.stream()
        .filter(c -> c.event instanceof RoomEvent.MessagePosted m && m.user().equals(user) && m.clientId().equals(clientId))
        .findFirst();
    same.ifPresent(c -> c.onDurable.add(onDurable));
    return same.isPresent();
  }

  Effect<RoomEvent, RoomState> onFlush() {
    collecting = false;
    return waiting.isEmpty() ? effect.none() : write();
  }

  /** Sharding stops the room: what waits is written first. */
  Effect<RoomEvent, RoomState> stop() {
    collecting = false;
    return waiting.isEmpty() ? effect.stop() : write().thenStop();
  }

  /** The room stops: no change of the failed write, nor any waiting one, will ever be durable. */
  void failAll() {
    for (Change c : inFlight) c.failTo.forEach(r -> r.tell(WRITE_FAILED));
    inFlight = List.of();
    failWaiting();
  }

  private void failWaiting() {
    for (Change c : waiting) c.failTo.forEach(r -> r.tell(WRITE_FAILED));
    waiting.clear();
  }

  private EffectBuilder<RoomEvent, RoomState> write() {
    if (!fence.mayWrite()) {
      // another node may be the room's writer now (paused, or cut off from the majority): store nothing
      failWaiting();
      return effect.none();
    }
    List<Change> batch = List.copyOf(waiting);
    waiting.clear();
    inFlight = batch;
    List<RoomEvent> events = new ArrayList<>(batch.size());
    for (Change c : batch) events.add(c.event);
    long started = System.nanoTime();
    return effect.persist(events).thenRun(state -> {
      inFlight = List.of();
      metrics.persisted(batch.size(), started);
      long first = state.head() - batch.size() + 1;
      subscribers.deliver(state.recent().range(first, state.head()), EpochNanos.now());
      // before any reply: a client's next command then finds the batch closed
      collecting = true;
      self.tell(new RoomSelf.Flush());
      for (int i = 0; i < batch.size(); i++) {
        for (Durable d : batch.get(i).onDurable) d.run(state, first + i);
      }
    });
  }
}
