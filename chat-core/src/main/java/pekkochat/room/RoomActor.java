package pekkochat.room;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One room: its only writer (DESIGN.md rule 1). It assigns each timeline event the next seq,
 * acknowledges a change only after the journal confirmed it, and sends each event once to every
 * subscribed node. This class only wires the room's concerns, each in a class beside it:
 * {@link Timeline} (sends, edits, deletes), {@link Membership} (joins, roles, invites),
 * {@link Activity} (typing, read marks), {@link History} (reads), {@link Subscribers}
 * (fan-out) and {@link GroupCommit} (the journal). Its messages are in {@link RoomProtocol}.
 */
public final class RoomActor extends EventSourcedBehavior<RoomProtocol.Command, RoomEvent, RoomState>
    implements RoomProtocol {

  /** The sharded entity type; its name is also the persistence id's prefix. */
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Room");

  /** The one place a room's persistence id is made: {@code Room|<id>}. */
  public static PersistenceId persistenceId(String roomId) {
    return PersistenceId.of(TYPE_KEY.name(), roomId);
  }

  /** What a room needs from the node it runs on: its bounds, its codec, and its storage ports. */
  public record Dependencies(
      RoomSettings settings,
      EventEncoder encoder,
      RoomIndex index,
      HistoryReader history,
      ReadMarks readMarks,
      Invites invites,
      RoomMetrics metrics) {}

  public static void initSharding(ActorSystem<?> system, Dependencies deps) {
    ClusterSharding.get(system)
        .init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), ctx.getShard(), deps)).withStopMessage(new Stop()));
  }

  public static Behavior<Command> create(
      String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Dependencies deps) {
    // A failed journal write or recovery restarts the room after a back-off (journalBackoff),
    // recovered from the journal: Pekko applies an event to the state before the journal confirms
    // it, so the state of a failed write cannot be trusted. The actor ref stays; what arrives
    // meanwhile waits for the restart (pekko.actor.typed.restart-stash-capacity).
    return Behaviors.setup(ctx -> {
      ctx.setReceiveTimeout(deps.settings().passivateAfter(), new RoomSelf.Idle());
      return new RoomActor(ctx, roomId, shard, deps);
    });
  }

  /** Spreads the rooms' recoveries after a shared outage, so they do not all hit the database at once. */
  private static final double BACKOFF_JITTER = 0.2;

  private final ActorContext<Command> ctx;
  private final String roomId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Dependencies deps;
  private final Clock clock = Clock.systemUTC();
  private final Subscribers subscribers;
  private final GroupCommit writes;
  private final Timeline timeline;
  private final Activity activity;
  private final Membership membership;
  private final History history;
  /** Counted in rooms alive: only after its recovery completed, so a failed one is never uncounted. */
  private boolean counted;
  /** Pekko may signal one failed recovery more than once (replay, then the stop): count it once. */
  private boolean recoveryFailed;
  /** The state Pekko replays into; cleared before a restart, since it is mutated in place. */
  private final RoomState initialState;

  private RoomActor(
      ActorContext<Command> ctx, String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Dependencies deps) {
    super(persistenceId(roomId), journalBackoff(deps.settings()));
    this.ctx = ctx;
    this.roomId = roomId;
    this.shard = shard;
    this.deps = deps;
    this.subscribers = new Subscribers(ctx, roomId, deps.settings());
    this.writes = new GroupCommit(
        Effect(), ctx.getSelf(), subscribers, deps.metrics(), WriteFence.get(ctx.getSystem()), deps.settings().maxBatch());
    this.timeline = new Timeline(Effect(), ctx, roomId, deps.history(), writes, clock, deps.metrics());
    this.activity = new Activity(Effect(), ctx, roomId, deps, subscribers, clock);
    this.membership = new Membership(Effect(), roomId, deps, writes, subscribers, activity, clock);
    this.history = new History(Effect(), roomId, deps);
    this.initialState = new RoomState(roomId, deps.settings(), deps.encoder());
  }

  private static BackoffSupervisorStrategy journalBackoff(RoomSettings settings) {
    // what arrives meanwhile is held up to pekko.actor.typed.restart-stash-capacity (application.conf)
    return SupervisorStrategy.restartWithBackoff(settings.journalBackoffMin(), settings.journalBackoffMax(), BACKOFF_JITTER);
  }

  @Override
  public RoomState emptyState() {
    return initialState;
  }

  @Override
  public CommandHandler<Command, RoomEvent, RoomState> commandHandler() {
    CommandHandlerBuilder<Command, RoomEvent, RoomState> builder = newCommandHandlerBuilder();
    builder.forState(state -> !state.exists())
        .onCommand(Create.class, this::create)
        .onCommand(Join.class, this::refuseJoin)
        .onCommand(RemoveRelay.class, (state, cmd) -> {
          removeRelay(state, cmd);
          return passivateIfUnsubscribed();
        })
        .onCommand(Follow.class, this::follow)
        .onCommand(Stop.class, (state, stop) -> Effect().stop())
        .onAnyCommand(this::refuseUnknownRoom);
    builder.forState(RoomState::exists)
        .onCommand(Send.class, timeline::send)
        .onCommand(Edit.class, timeline::edit)
        .onCommand(Delete.class, timeline::delete)
        .onCommand(RoomSelf.TargetResolved.class, timeline::onTargetResolved)
        .onCommand(RoomSelf.Flush.class, (state, flush) -> writes.onFlush())
        .onCommand(Join.class, membership::join)
        .onCommand(SetRole.class, membership::setRole)
        .onCommand(RemoveMember.class, membership::remove)
        .onCommand(Admit.class, membership::admit)
        .onCommand(CreateInvite.class, membership::createInvite)
        .onCommand(RevokeInvite.class, membership::revokeInvite)
        .onCommand(Typing.class, activity::typing)
        .onCommand(MarkRead.class, activity::markRead)
        .onCommand(RoomSelf.MarkStored.class, (state, stored) -> activity.onMarkStored(stored))
        .onCommand(RoomSelf.MarksLoaded.class, (state, loaded) -> activity.onMarksLoaded(loaded))
        .onCommand(RoomSelf.LoadMarks.class, (state, load) -> {
          activity.loadMarks();
          return Effect().none();
        })
        .onCommand(GetRoom.class, history::room)
        .onCommand(GetHistory.class, history::page)
        .onCommand(Create.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Rejected(Refusal.CONFLICT, "room exists")))
        .onCommand(RemoveRelay.class, this::removeRelay)
        .onCommand(Follow.class, this::follow)
        .onCommand(RoomSelf.Idle.class, (state, idle) -> passivateIfUnsubscribed())
        .onCommand(Stop.class, (state, stop) -> writes.stop());
    return builder.build();
  }

  @Override
  public EventHandler<RoomState, RoomEvent> eventHandler() {
    // pure: an event carries everything its application needs, so replay gives the same state
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RoomState::apply);
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(RecoveryFailed.class, (state, failed) -> {
          if (!recoveryFailed) deps.metrics().journalFailed(RoomMetrics.JournalOperation.RECOVERY);
          recoveryFailed = true;
        })
        .onSignal(JournalPersistFailed.class, (state, failed) -> deps.metrics().journalFailed(RoomMetrics.JournalOperation.WRITE))
        .onSignal(JournalPersistRejected.class, (state, rejected) -> deps.metrics().journalFailed(RoomMetrics.JournalOperation.WRITE))
        .onSignal(PreRestart.instance(), state -> {
          // this instance serves the restarted room too: start it from nothing
          writes.failAll();
          subscribers.reset();
          initialState.clear();
          if (counted) deps.metrics().roomStopped();
          counted = false;
          recoveryFailed = false;
        })
        .onSignal(PostStop.instance(), state -> {
          writes.failAll();
          if (counted) deps.metrics().roomStopped();
        })
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // Snapshots only bound recovery time; events are never deleted: they are the history.
    return RetentionCriteria.snapshotEvery(deps.settings().snapshotEvery(), deps.settings().snapshotsKept());
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
        return RoomState.fromSnapshot(roomId, deps.settings(), deps.encoder(), (RoomSnapshot) from);
      }
    };
  }

  private void onRecovered(RoomState state) {
    counted = true;
    deps.metrics().roomStarted();
    if (!state.exists()) {
      activity.startEmpty();
      return;
    }
    activity.loadMarks();
    membership.index(state, () -> {});
  }

  private Effect<RoomEvent, RoomState> create(RoomState state, Create cmd) {
    ctx.setReceiveTimeout(deps.settings().passivateAfter(), new RoomSelf.Idle()); // after a refused join's linger
    var created = new RoomEvent.RoomCreated(cmd.owner(), cmd.name(), cmd.visibility(), clock.millis());
    return writes.change(created, (s, seq) -> {
      activity.startEmpty();
      RoomView view = Membership.view(s, cmd.owner(), deps.settings());
      // Answer after the listing has the room, so the creator's next GET /api/rooms shows it.
      membership.index(s, () -> cmd.replyTo().tell(view));
    }, cmd.replyTo());
  }

  /**
   * A join of a room that was never created. The joiner's relay subscribed before it asked, so it
   * sends {@link RemoveRelay} once the refusal reaches the socket: wait for that here instead of
   * passivating now, or the word would start this room again (a second recovery) only to leave
   * it running until {@code passivate-after}.
   */
  private Effect<RoomEvent, RoomState> refuseJoin(RoomState state, Join cmd) {
    cmd.replyTo().tell(new JoinRefused(roomId, Refusal.NOT_FOUND, "no such room"));
    ctx.setReceiveTimeout(deps.settings().unknownRoomLinger(), new RoomSelf.Idle());
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> removeRelay(RoomState state, RemoveRelay cmd) {
    subscribers.remove(cmd.relay());
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> follow(RoomState state, Follow cmd) {
    subscribers.follow(cmd.follower());
    return Effect().none();
  }

  /** A command for a room that was never created: refuse it and stop at once, storing nothing. */
  private Effect<RoomEvent, RoomState> refuseUnknownRoom(RoomState state, Command cmd) {
    if (cmd instanceof Request request) request.replyTo().tell(Rejections.NO_SUCH_ROOM);
    return passivateIfUnsubscribed();
  }

  private Effect<RoomEvent, RoomState> passivateIfUnsubscribed() {
    if (subscribers.isEmpty()) shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
    return Effect().none();
  }
}
