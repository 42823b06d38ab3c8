package pekkochat.room;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import pekkochat.CborSerializable;
import pekkochat.fanout.EncodedEvent;
import pekkochat.fanout.EventEncoder;
import pekkochat.fanout.NodeRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: its only writer (DESIGN.md rule 1). It assigns each timeline event the next seq,
 * acknowledges a send only after the journal confirmed it, deduplicates retried sends, keeps the
 * members and a window of recent events, and sends each event once to every subscribed node relay.
 */
public final class RoomActor extends EventSourcedBehavior<RoomActor.Command, RoomEvent, RoomState> {

  private static final Logger log = LoggerFactory.getLogger(RoomActor.class);

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Room");

  /** What a room needs from the node it runs on. */
  public record Dependencies(
      RoomSettings settings,
      EventEncoder encoder,
      RoomIndex index,
      HistoryReader history,
      RoomMetrics metrics) {}

  public interface Command extends CborSerializable {}

  public record Create(String name, Visibility visibility, String owner, ActorRef<CreateReply> replyTo)
      implements Command {}

  /** Subscribe {@code relay} and answer {@code Joined}, then the catch-up, to {@code replyTo}. */
  public record Join(String user, Long lastSeq, ActorRef<NodeRelay.Command> relay, ActorRef<JoinReply> replyTo)
      implements Command {}

  public record Send(String user, String clientId, String text, ActorRef<SendReply> replyTo)
      implements Command {}

  public record GetRoom(String user, ActorRef<RoomReply> replyTo) implements Command {}

  /** Up to {@code limit} events with seq below {@code before} (null: the newest). */
  public record GetHistory(String user, Long before, Integer limit, ActorRef<HistoryReply> replyTo)
      implements Command {}

  /** A relay has no subscriber of this room left, or it stopped. */
  public record RemoveRelay(ActorRef<NodeRelay.Command> relay) implements Command {}

  /** Sharding's stop message, for passivation and hand-off. */
  public record Stop() implements Command {}

  private record Idle() implements Command {}

  public sealed interface CreateReply extends CborSerializable {}

  public sealed interface JoinReply extends CborSerializable {}

  public sealed interface SendReply extends CborSerializable {}

  public sealed interface RoomReply extends CborSerializable {}

  public sealed interface HistoryReply extends CborSerializable {}

  public record MemberView(String user, Role role) implements CborSerializable {}

  /** A room as REST shows it; {@code callerRole} is null for a non-member. */
  public record RoomView(RoomInfo info, long head, List<MemberView> members, Role callerRole)
      implements CreateReply, RoomReply {}

  /** The join took: {@link CatchUp} messages follow, the last one flagged. */
  public record Joined(String room, long head, long firstSeq, List<MemberView> members, ActorRef<Command> roomActor)
      implements JoinReply {}

  public record CatchUp(String room, List<EncodedEvent> events, boolean last) implements JoinReply {}

  public record Acked(String room, String clientId, long seq, long ts) implements SendReply {}

  /** History events as wire text, ascending. */
  public record HistoryPage(String room, List<String> events) implements HistoryReply {}

  public record Rejected(Refusal refusal, String message)
      implements CreateReply, SendReply, RoomReply, HistoryReply {}

  /** The join was refused; it names its room, as a socket may have several joins in flight. */
  public record JoinRefused(String room, Refusal refusal, String message) implements JoinReply {}

  public static void initSharding(ActorSystem<?> system, Dependencies deps) {
    ClusterSharding.get(system)
        .init(
            Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), deps))
                .withStopMessage(new Stop()));
  }

  public static Behavior<Command> create(
      String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Dependencies deps) {
    return Behaviors.setup(
        ctx -> {
          ctx.setReceiveTimeout(deps.settings().passivateAfter(), new Idle());
          return new RoomActor(ctx, roomId, shard, deps);
        });
  }

  private final ActorContext<Command> ctx;
  private final String roomId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Dependencies deps;
  private final RoomSettings settings;
  /** The relays of nodes with subscribers; not state: a relay subscribes again after a restart. */
  private final Set<ActorRef<NodeRelay.Command>> relays = new HashSet<>();

  private RoomActor(
      ActorContext<Command> ctx, String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Dependencies deps) {
    super(
        PersistenceId.of(TYPE_KEY.name(), roomId),
        SupervisorStrategy.restartWithBackoff(
            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.roomId = roomId;
    this.shard = shard;
    this.deps = deps;
    this.settings = deps.settings();
  }

  @Override
  public RoomState emptyState() {
    return new RoomState(roomId, settings, deps.encoder());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots only bound recovery time; events are never deleted: they are the history.
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.snapshotsKept());
  }

  @Override
  public SnapshotAdapter<RoomState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RoomState state) {
        return state.toSnapshot();
      }

      @Override
      public RoomState fromJournal(Object from) {
        return RoomState.fromSnapshot(roomId, settings, deps.encoder(), (RoomSnapshot) from);
      }
    };
  }

  @Override
  public EventHandler<RoomState, RoomEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((state, event) -> state.apply(event, epochNanos()));
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), state -> deps.metrics().roomStopped())
        .build();
  }

  private void onRecovered(RoomState state) {
    deps.metrics().roomStarted();
    if (state.exists()) {
      deps.index()
          .indexRoom(state.info(), Map.copyOf(state.members()))
          .exceptionally(e -> logIndexFailure(e));
    }
  }

  @Override
  public CommandHandler<Command, RoomEvent, RoomState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Send.class, this::onSend)
        .onCommand(Join.class, this::onJoin)
        .onCommand(RemoveRelay.class, this::onRemoveRelay)
        .onCommand(GetHistory.class, this::onGetHistory)
        .onCommand(GetRoom.class, this::onGetRoom)
        .onCommand(Create.class, this::onCreate)
        .onCommand(Idle.class, this::onIdle)
        .onCommand(Stop.class, (state, stop) -> Effect().stop())
        .build();
  }

  private Effect<RoomEvent, RoomState> onCreate(RoomState state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.CONFLICT, "room exists"));
    }
    long started = System.nanoTime();
    var created = new RoomEvent.RoomCreated(cmd.owner(), cmd.name(), cmd.visibility(), System.currentTimeMillis());
    return Effect()
        .persist(created)
        .thenRun(
            s -> {
              afterPersist(s, started);
              RoomView view = view(s, cmd.owner());
              // Answer after the listing has the room, so the creator's next GET /api/rooms shows it.
              deps.index()
                  .indexRoom(s.info(), Map.copyOf(s.members()))
                  .exceptionally(e -> logIndexFailure(e))
                  .thenRun(() -> cmd.replyTo().tell(view));
            });
  }

  private Effect<RoomEvent, RoomState> onSend(RoomState state, Send cmd) {
    Optional<Rejected> refused = refuseUnlessMember(state, cmd.user());
    if (refused.isPresent()) return Effect().reply(cmd.replyTo(), refused.get());
    Optional<DedupWindow.Entry> earlier = state.dedup().find(cmd.user(), cmd.clientId());
    if (earlier.isPresent()) {
      DedupWindow.Entry e = earlier.get();
      return Effect().reply(cmd.replyTo(), new Acked(roomId, cmd.clientId(), e.seq(), e.ts()));
    }
    long started = System.nanoTime();
    var posted = new RoomEvent.MessagePosted(cmd.user(), cmd.clientId(), cmd.text(), System.currentTimeMillis());
    return Effect()
        .persist(posted)
        .thenRun(
            s -> {
              afterPersist(s, started);
              cmd.replyTo().tell(new Acked(roomId, cmd.clientId(), s.head(), posted.ts()));
            });
  }

  private Effect<RoomEvent, RoomState> onJoin(RoomState state, Join cmd) {
    if (!state.exists()) {
      cmd.replyTo().tell(new JoinRefused(roomId, Refusal.NOT_FOUND, "no such room"));
      return passivateUnknown();
    }
    if (state.roleOf(cmd.user()).isPresent()) {
      return Effect().none().thenRun(s -> completeJoin(s, cmd));
    }
    if (state.info().visibility() == Visibility.PRIVATE) {
      return Effect()
          .reply(cmd.replyTo(), new JoinRefused(roomId, Refusal.FORBIDDEN, "not a member of this private room"));
    }
    long started = System.nanoTime();
    var joined =
        new RoomEvent.MemberChanged(
            cmd.user(), cmd.user(), RoomEvent.MemberAction.JOINED, Role.MEMBER, System.currentTimeMillis());
    return Effect()
        .persist(joined)
        .thenRun(
            s -> {
              afterPersist(s, started);
              deps.index()
                  .indexMember(roomId, cmd.user(), Optional.of(Role.MEMBER))
                  .exceptionally(e -> logIndexFailure(e));
              completeJoin(s, cmd);
            });
  }

  private void completeJoin(RoomState state, Join cmd) {
    if (relays.add(cmd.relay())) {
      ctx.watchWith(cmd.relay(), new RemoveRelay(cmd.relay()));
    }
    // Tell the relay who we are on every join: after a restart this is a new actor to watch.
    cmd.relay().tell(new NodeRelay.Subscribed(roomId, ctx.getSelf()));
    long head = state.head();
    long from;
    if (cmd.lastSeq() == null) {
      from = head - settings.catchUpDefault() + 1;
    } else {
      from = Math.max(cmd.lastSeq() + 1, head - settings.catchUpMax() + 1);
    }
    from = Math.max(1, Math.min(from, head + 1));
    cmd.replyTo().tell(new Joined(roomId, head, from, state.memberViews(), ctx.getSelf()));
    List<EncodedEvent> catchUp = state.recent().range(from, head);
    int chunk = settings.catchUpChunk();
    for (int i = 0; i < catchUp.size(); i += chunk) {
      int end = Math.min(catchUp.size(), i + chunk);
      cmd.replyTo().tell(new CatchUp(roomId, List.copyOf(catchUp.subList(i, end)), end == catchUp.size()));
    }
    if (catchUp.isEmpty()) cmd.replyTo().tell(new CatchUp(roomId, List.of(), true));
  }

  private Effect<RoomEvent, RoomState> onRemoveRelay(RoomState state, RemoveRelay cmd) {
    if (relays.remove(cmd.relay())) ctx.unwatch(cmd.relay());
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onGetRoom(RoomState state, GetRoom cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (!state.canRead(cmd.user())) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "not a member of this private room"));
    }
    return Effect().reply(cmd.replyTo(), view(state, cmd.user()));
  }

  private Effect<RoomEvent, RoomState> onGetHistory(RoomState state, GetHistory cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (!state.canRead(cmd.user())) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "not a member of this private room"));
    }
    int limit = cmd.limit() == null ? settings.historyDefaultLimit() : cmd.limit();
    limit = Math.max(1, Math.min(limit, settings.historyMaxLimit()));
    long to = cmd.before() == null ? state.head() : Math.min(cmd.before() - 1, state.head());
    long from = Math.max(1, to - limit + 1);
    if (to < from) return Effect().reply(cmd.replyTo(), new HistoryPage(roomId, List.of()));
    if (from >= state.recent().firstSeq()) {
      List<String> events = state.recent().range(from, to).stream().map(EncodedEvent::json).toList();
      return Effect().reply(cmd.replyTo(), new HistoryPage(roomId, events));
    }
    EventEncoder encoder = deps.encoder();
    ActorRef<HistoryReply> replyTo = cmd.replyTo();
    deps.history()
        .read(roomId, from, to)
        .whenComplete(
            (events, failure) -> {
              if (failure != null) {
                log.warn("history read of room {} failed", roomId, failure);
                replyTo.tell(new Rejected(Refusal.NOT_FOUND, "history unavailable"));
              } else {
                replyTo.tell(new HistoryPage(roomId, events.stream().map(encoder::encode).toList()));
              }
            });
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onIdle(RoomState state, Idle idle) {
    if (relays.isEmpty()) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return Effect().none();
  }

  private Optional<Rejected> refuseUnlessMember(RoomState state, String user) {
    if (!state.exists()) return Optional.of(new Rejected(Refusal.NOT_FOUND, "no such room"));
    if (state.roleOf(user).isEmpty()) {
      return Optional.of(new Rejected(Refusal.FORBIDDEN, "join the room first"));
    }
    return Optional.empty();
  }

  /** A command for a room that was never created: refuse it and stop at once, storing nothing. */
  private Effect<RoomEvent, RoomState> notFound(ActorRef<? super Rejected> replyTo) {
    replyTo.tell(new Rejected(Refusal.NOT_FOUND, "no such room"));
    return passivateUnknown();
  }

  private Effect<RoomEvent, RoomState> passivateUnknown() {
    if (relays.isEmpty()) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return Effect().none();
  }

  private void afterPersist(RoomState state, long startedNanos) {
    deps.metrics().persisted(startedNanos);
    NodeRelay.Deliver deliver = new NodeRelay.Deliver(state.recent().newest());
    for (ActorRef<NodeRelay.Command> relay : relays) relay.tell(deliver);
  }

  private static RoomView view(RoomState state, String caller) {
    return new RoomView(state.info(), state.head(), state.memberViews(), state.roleOf(caller).orElse(null));
  }

  private Done logIndexFailure(Throwable e) {
    log.warn("room index update of {} failed; it is rewritten on the room's next recovery", roomId, e);
    return Done.getInstance();
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
