package pekkochat.room;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.CborSerializable;
import pekkochat.fanout.EncodedEvent;
import pekkochat.fanout.EventEncoder;
import pekkochat.fanout.NodeRelay;

/**
 * One room: its only writer (DESIGN.md rule 1). It assigns each timeline event the next seq,
 * acknowledges a change only after the journal confirmed it, deduplicates retried sends, keeps
 * members, roles and a window of recent events, enforces who may do what, and sends each event
 * once to every subscribed node relay.
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
      ReadMarks readMarks,
      Invites invites,
      RoomMetrics metrics) {}

  public interface Command extends CborSerializable {}

  public record Create(String name, Visibility visibility, String owner, ActorRef<CreateReply> replyTo)
      implements Command {}

  /** Subscribe {@code relay} and answer {@code Joined}, then the catch-up, to {@code replyTo}. */
  public record Join(String user, Long lastSeq, ActorRef<NodeRelay.Command> relay, ActorRef<JoinReply> replyTo)
      implements Command {}

  public record Send(String user, String clientId, String text, ActorRef<SendReply> replyTo)
      implements Command {}

  public record Edit(String user, long target, String text, ActorRef<ChangeReply> replyTo) implements Command {}

  public record Delete(String user, long target, ActorRef<ChangeReply> replyTo) implements Command {}

  public record SetRole(String user, String target, Role role, ActorRef<ChangeReply> replyTo) implements Command {}

  /** {@code user} removes {@code target}, or leaves when they are the same. */
  public record RemoveMember(String user, String target, ActorRef<ChangeReply> replyTo) implements Command {}

  public record Typing(String user) implements Command {}

  public record MarkRead(String user, long seq, ActorRef<ChangeReply> replyTo) implements Command {}

  /** Null {@code ttlSeconds} = the default lifetime; null {@code maxUses} = unlimited. */
  public record CreateInvite(String user, Long ttlSeconds, Integer maxUses, ActorRef<InviteReply> replyTo)
      implements Command {}

  public record RevokeInvite(String user, String codeHash, ActorRef<InviteReply> replyTo) implements Command {}

  /** {@code user} used an invite code of this room: they become a member. */
  public record Admit(String user, ActorRef<RoomReply> replyTo) implements Command {}

  /** A member's presence changed: tell the room's subscribers. */
  public record AnnouncePresence(String user, String status) implements Command {}

  public record GetRoom(String user, ActorRef<RoomReply> replyTo) implements Command {}

  /** Up to {@code limit} events with seq below {@code before} (null: the newest). */
  public record GetHistory(String user, Long before, Integer limit, ActorRef<HistoryReply> replyTo)
      implements Command {}

  /** A relay has no subscriber of this room left, or it stopped. */
  public record RemoveRelay(ActorRef<NodeRelay.Command> relay) implements Command {}

  /** Sharding's stop message, for passivation and hand-off. */
  public record Stop() implements Command {}

  private record Idle() implements Command {}

  /** An edit or delete whose target is older than the window, with the target read from the journal. */
  private record TargetResolved(Command original, RoomEvent target) implements Command {}

  /** Null {@code marks}: the load failed and is tried again. */
  private record MarksLoaded(Map<String, Long> marks) implements Command {}

  private record LoadMarks() implements Command {}

  private record MarkStored(String user, long seq, ActorRef<ChangeReply> replyTo, Throwable failure)
      implements Command {}

  public sealed interface CreateReply extends CborSerializable {}

  public sealed interface JoinReply extends CborSerializable {}

  public sealed interface SendReply extends CborSerializable {}

  public sealed interface ChangeReply extends CborSerializable {}

  public sealed interface InviteReply extends CborSerializable {}

  public sealed interface RoomReply extends CborSerializable {}

  public sealed interface HistoryReply extends CborSerializable {}

  public record MemberView(String user, Role role) implements CborSerializable {}

  /** A room as REST shows it; {@code callerRole} is null for a non-member. */
  public record RoomView(RoomInfo info, long head, List<MemberView> members, Role callerRole)
      implements CreateReply, RoomReply {}

  /** The join took: {@link CatchUp} messages follow, the last one flagged. */
  public record Joined(
      String room, long head, long firstSeq, List<MemberView> members, Map<String, Long> reads,
      ActorRef<Command> roomActor)
      implements JoinReply {}

  public record CatchUp(String room, List<EncodedEvent> events, boolean last) implements JoinReply {}

  public record Acked(String room, String clientId, long seq, long ts) implements SendReply {}

  /** A change took effect; {@code seq} is its event's, or the unchanged read mark. */
  public record Applied(String room, long seq, long ts) implements ChangeReply {}

  /** {@code code} is the only copy of the code: the room keeps its hash. */
  public record InviteCreated(String code, long expiresAt, Integer maxUses) implements InviteReply {}

  public record InviteRevoked() implements InviteReply {}

  /** History events as wire text, ascending. */
  public record HistoryPage(String room, List<String> events) implements HistoryReply {}

  public record Rejected(Refusal refusal, String message)
      implements CreateReply, SendReply, ChangeReply, InviteReply, RoomReply, HistoryReply {}

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
    // No restart on a failed journal write: Pekko applies an event to the state before the journal
    // confirms it, so the room stops (the default) and sharding starts a fresh one, recovered from
    // the journal, on the next message. Relays see it go and resubscribe their sockets.
    return Behaviors.setup(ctx -> {
      ctx.setReceiveTimeout(deps.settings().passivateAfter(), new Idle());
      return new RoomActor(ctx, roomId, shard, deps);
    });
  }

  private final ActorContext<Command> ctx;
  private final String roomId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final Dependencies deps;
  private final RoomSettings settings;
  /** The relays of nodes with subscribers of this room: not persisted state. */
  private final Set<ActorRef<NodeRelay.Command>> relays = new HashSet<>();
  /** Read marks, kept in a table (not the journal) and loaded after recovery. */
  private final Map<String, Long> marks = new HashMap<>();
  private boolean marksLoaded;
  /** When each member last typed, for the one-a-second limit; not worth persisting. */
  private final Map<String, Long> lastTypingNanos = new HashMap<>();

  private RoomActor(
      ActorContext<Command> ctx, String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Dependencies deps) {
    super(PersistenceId.of(TYPE_KEY.name(), roomId));
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
        .onAnyEvent((state, event) -> state.apply(event, pekkochat.EpochNanos.now()));
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), state -> deps.metrics().roomStopped())
        .build();
  }

  /** Read marks of current members only: a former member's mark is kept but not shown. */
  private Map<String, Long> memberMarks(RoomState state) {
    Map<String, Long> reads = new HashMap<>();
    marks.forEach((user, seq) -> {
      if (state.roleOf(user).isPresent()) reads.put(user, seq);
    });
    return reads;
  }

  private void onRecovered(RoomState state) {
    deps.metrics().roomStarted();
    if (!state.exists()) {
      marksLoaded = true;
      return;
    }
    loadMarks();
    deps.index()
        .indexRoom(state.info(), Map.copyOf(state.members()))
        .exceptionally(e -> logIndexFailure(e));
  }

  private void loadMarks() {
    ctx.pipeToSelf(deps.readMarks().marks(roomId), (loaded, failure) -> {
      if (failure == null) return new MarksLoaded(loaded);
      log.warn("read marks of room {} could not be loaded; retrying", roomId, failure);
      return new MarksLoaded(null);
    });
  }

  @Override
  public CommandHandler<Command, RoomEvent, RoomState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Send.class, this::onSend)
        .onCommand(Join.class, this::onJoin)
        .onCommand(RemoveRelay.class, this::onRemoveRelay)
        .onCommand(Typing.class, this::onTyping)
        .onCommand(MarkRead.class, this::onMarkRead)
        .onCommand(MarkStored.class, this::onMarkStored)
        .onCommand(AnnouncePresence.class, this::onAnnouncePresence)
        .onCommand(Edit.class, (state, cmd) -> withTarget(state, cmd, cmd.user(), cmd.target(), cmd.replyTo()))
        .onCommand(Delete.class, (state, cmd) -> withTarget(state, cmd, cmd.user(), cmd.target(), cmd.replyTo()))
        .onCommand(TargetResolved.class, this::onTargetResolved)
        .onCommand(SetRole.class, this::onSetRole)
        .onCommand(RemoveMember.class, this::onRemoveMember)
        .onCommand(CreateInvite.class, this::onCreateInvite)
        .onCommand(RevokeInvite.class, this::onRevokeInvite)
        .onCommand(Admit.class, this::onAdmit)
        .onCommand(GetHistory.class, this::onGetHistory)
        .onCommand(GetRoom.class, this::onGetRoom)
        .onCommand(Create.class, this::onCreate)
        .onCommand(MarksLoaded.class, this::onMarksLoaded)
        .onCommand(LoadMarks.class, (state, load) -> {
          loadMarks();
          return Effect().none();
        })
        .onCommand(Idle.class, this::onIdle)
        .onCommand(Stop.class, (state, stop) -> Effect().stop())
        .build();
  }

  // ---- creation, messages, joins ----

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
              marksLoaded = true;
              RoomView view = view(s, cmd.owner());
              // Answer after the listing has the room, so the creator's next GET /api/rooms shows it.
              deps.index()
                  .indexRoom(s.info(), Map.copyOf(s.members()))
                  .exceptionally(e -> logIndexFailure(e))
                  .thenRun(() -> cmd.replyTo().tell(view));
            });
  }

  private Effect<RoomEvent, RoomState> onSend(RoomState state, Send cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (state.roleOf(cmd.user()).isEmpty()) return Effect().reply(cmd.replyTo(), notMember());
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
    if (!marksLoaded) return Effect().stash();
    if (state.roleOf(cmd.user()).isPresent()) {
      return Effect().none().thenRun(s -> completeJoin(s, cmd));
    }
    if (state.info().visibility() == Visibility.PRIVATE) {
      return Effect()
          .reply(cmd.replyTo(), new JoinRefused(roomId, Refusal.FORBIDDEN, "not a member of this private room"));
    }
    var joined = memberEvent(cmd.user(), cmd.user(), RoomEvent.MemberAction.JOINED, Role.MEMBER);
    return persistMemberChange(joined, s -> completeJoin(s, cmd));
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
    cmd.replyTo().tell(new Joined(roomId, head, from, state.memberViews(), memberMarks(state), ctx.getSelf()));
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

  // ---- edits and deletes ----

  /** Finds the target of an edit or delete in the window, or else reads it from the journal. */
  private Effect<RoomEvent, RoomState> withTarget(
      RoomState state, Command cmd, String user, long target, ActorRef<ChangeReply> replyTo) {
    if (!state.exists()) return notFound(replyTo);
    if (state.roleOf(user).isEmpty()) return Effect().reply(replyTo, notMember());
    if (target < 1 || target > state.head() || state.isDeleted(target)) {
      return Effect().reply(replyTo, noSuchMessage());
    }
    Optional<SequencedEvent> inWindow = state.recent().find(target);
    if (inWindow.isPresent()) return decideOnTarget(state, cmd, inWindow.get().event());
    ctx.pipeToSelf(deps.history().read(roomId, target, target), (events, failure) ->
        new TargetResolved(cmd, failure == null && !events.isEmpty() ? events.get(0).event() : null));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onTargetResolved(RoomState state, TargetResolved resolved) {
    ActorRef<ChangeReply> replyTo = resolved.original() instanceof Edit e ? e.replyTo() : ((Delete) resolved.original()).replyTo();
    if (resolved.target() == null) return Effect().reply(replyTo, noSuchMessage());
    return decideOnTarget(state, resolved.original(), resolved.target());
  }

  private Effect<RoomEvent, RoomState> decideOnTarget(RoomState state, Command cmd, RoomEvent target) {
    if (cmd instanceof Edit edit) {
      if (!(target instanceof RoomEvent.MessagePosted m) || state.isDeleted(edit.target())) {
        return Effect().reply(edit.replyTo(), noSuchMessage());
      }
      Optional<Refusal> refused = Permissions.edit(m.user().equals(edit.user()), state.roleOf(edit.user()));
      if (refused.isPresent()) return Effect().reply(edit.replyTo(), new Rejected(refused.get(), "only the author edits a message"));
      var edited = new RoomEvent.MessageEdited(edit.user(), edit.target(), edit.text(), System.currentTimeMillis());
      return persistChange(edited, edit.replyTo());
    }
    Delete delete = (Delete) cmd;
    if (!(target instanceof RoomEvent.MessagePosted m) || state.isDeleted(delete.target())) {
      return Effect().reply(delete.replyTo(), noSuchMessage());
    }
    Optional<Refusal> refused = Permissions.delete(m.user().equals(delete.user()), state.roleOf(delete.user()));
    if (refused.isPresent()) {
      return Effect().reply(delete.replyTo(), new Rejected(refused.get(), "only the author, an admin or the owner deletes a message"));
    }
    var deleted = new RoomEvent.MessageDeleted(delete.user(), delete.target(), System.currentTimeMillis());
    return persistChange(deleted, delete.replyTo());
  }

  // ---- members and roles ----

  private Effect<RoomEvent, RoomState> onSetRole(RoomState state, SetRole cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    Optional<Refusal> refused = Permissions.setRole(state.roleOf(cmd.user()), state.roleOf(cmd.target()), cmd.role());
    if (refused.isPresent()) return Effect().reply(cmd.replyTo(), memberRefusal(refused.get()));
    var changed = memberEvent(cmd.user(), cmd.target(), RoomEvent.MemberAction.ROLE, cmd.role());
    return persistMemberChange(changed, s -> cmd.replyTo().tell(applied(s, changed)));
  }

  private Effect<RoomEvent, RoomState> onRemoveMember(RoomState state, RemoveMember cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    boolean self = cmd.user().equals(cmd.target());
    Optional<Refusal> refused = Permissions.remove(self, state.roleOf(cmd.user()), state.roleOf(cmd.target()));
    if (refused.isPresent()) return Effect().reply(cmd.replyTo(), memberRefusal(refused.get()));
    var action = self ? RoomEvent.MemberAction.LEFT : RoomEvent.MemberAction.REMOVED;
    var removed = memberEvent(cmd.user(), cmd.target(), action, null);
    return persistMemberChange(removed, s -> cmd.replyTo().tell(applied(s, removed)));
  }

  private Effect<RoomEvent, RoomState> onAdmit(RoomState state, Admit cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (state.roleOf(cmd.user()).isPresent()) return Effect().reply(cmd.replyTo(), view(state, cmd.user()));
    var joined = memberEvent(cmd.user(), cmd.user(), RoomEvent.MemberAction.JOINED, Role.MEMBER);
    return persistMemberChange(joined, s -> cmd.replyTo().tell(view(s, cmd.user())));
  }

  // ---- invites ----

  private Effect<RoomEvent, RoomState> onCreateInvite(RoomState state, CreateInvite cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (Permissions.manageInvites(state.roleOf(cmd.user())).isPresent()) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "only the owner and admins make invites"));
    }
    Duration ttl = cmd.ttlSeconds() == null ? settings.inviteDefaultTtl() : Duration.ofSeconds(cmd.ttlSeconds());
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.inviteMaxTtl()) > 0
        || cmd.maxUses() != null && cmd.maxUses() < 1) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.BAD_REQUEST,
          "ttlSeconds must be 1 to " + settings.inviteMaxTtl().toSeconds() + " and maxUses at least 1"));
    }
    String code = InviteCodes.newCode();
    long now = System.currentTimeMillis();
    long expiresAt = now + ttl.toMillis();
    deps.invites()
        .create(InviteCodes.hash(code), roomId, cmd.user(), now, expiresAt, cmd.maxUses())
        .whenComplete((done, failure) -> cmd.replyTo().tell(failure == null
            ? new InviteCreated(code, expiresAt, cmd.maxUses())
            : new Rejected(Refusal.UNAVAILABLE, "the invite could not be stored; retry")));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onRevokeInvite(RoomState state, RevokeInvite cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (Permissions.manageInvites(state.roleOf(cmd.user())).isPresent()) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "only the owner and admins revoke invites"));
    }
    deps.invites()
        .revoke(cmd.codeHash(), roomId)
        .whenComplete((revoked, failure) -> cmd.replyTo().tell(
            failure != null ? new Rejected(Refusal.UNAVAILABLE, "the invite could not be revoked; retry")
                : revoked ? new InviteRevoked() : new Rejected(Refusal.NOT_FOUND, "no such invite")));
    return Effect().none();
  }

  // ---- typing, read marks, presence: not on the timeline ----

  private Effect<RoomEvent, RoomState> onTyping(RoomState state, Typing cmd) {
    if (!state.exists() || state.roleOf(cmd.user()).isEmpty()) return Effect().none();
    long now = System.nanoTime();
    Long last = lastTypingNanos.get(cmd.user());
    if (last != null && now - last < settings.typingInterval().toNanos()) return Effect().none();
    lastTypingNanos.put(cmd.user(), now);
    broadcastEphemeral(deps.encoder().typing(roomId, cmd.user()), cmd.user(), null);
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onMarkRead(RoomState state, MarkRead cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (!marksLoaded) return Effect().stash();
    if (state.roleOf(cmd.user()).isEmpty()) return Effect().reply(cmd.replyTo(), notMember());
    if (cmd.seq() < 1 || cmd.seq() > state.head()) {
      return Effect().reply(cmd.replyTo(), new Rejected(Refusal.BAD_REQUEST, "seq must be between 1 and the room's head"));
    }
    long current = marks.getOrDefault(cmd.user(), 0L);
    if (cmd.seq() <= current) {
      return Effect().reply(cmd.replyTo(), new Applied(roomId, current, System.currentTimeMillis()));
    }
    ctx.pipeToSelf(deps.readMarks().advance(roomId, cmd.user(), cmd.seq()),
        (done, failure) -> new MarkStored(cmd.user(), cmd.seq(), cmd.replyTo(), failure));
    return Effect().none();
  }

  private Effect<RoomEvent, RoomState> onMarkStored(RoomState state, MarkStored stored) {
    if (stored.failure() != null) {
      return Effect().reply(stored.replyTo(), new Rejected(Refusal.UNAVAILABLE, "the read mark could not be stored; retry"));
    }
    long mark = Math.max(stored.seq(), marks.getOrDefault(stored.user(), 0L));
    boolean moved = mark > marks.getOrDefault(stored.user(), 0L);
    marks.put(stored.user(), mark);
    if (moved) broadcastEphemeral(deps.encoder().read(roomId, stored.user(), mark), null, null);
    return Effect().reply(stored.replyTo(), new Applied(roomId, mark, System.currentTimeMillis()));
  }

  private Effect<RoomEvent, RoomState> onMarksLoaded(RoomState state, MarksLoaded loaded) {
    if (loaded.marks() == null) {
      ctx.scheduleOnce(settings.marksRetry(), ctx.getSelf(), new LoadMarks());
      return Effect().none();
    }
    loaded.marks().forEach((user, seq) -> marks.merge(user, seq, Math::max));
    marksLoaded = true;
    return Effect().none().thenUnstashAll();
  }

  private Effect<RoomEvent, RoomState> onAnnouncePresence(RoomState state, AnnouncePresence cmd) {
    if (state.exists() && state.roleOf(cmd.user()).isPresent()) {
      broadcastEphemeral(deps.encoder().presence(cmd.user(), cmd.status()), null, "presence:" + cmd.user());
    }
    return Effect().none();
  }

  // ---- reads ----

  private Effect<RoomEvent, RoomState> onGetRoom(RoomState state, GetRoom cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (!state.canRead(cmd.user())) return Effect().reply(cmd.replyTo(), notMember());
    return Effect().reply(cmd.replyTo(), view(state, cmd.user()));
  }

  private Effect<RoomEvent, RoomState> onGetHistory(RoomState state, GetHistory cmd) {
    if (!state.exists()) return notFound(cmd.replyTo());
    if (!state.canRead(cmd.user())) return Effect().reply(cmd.replyTo(), notMember());
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
                replyTo.tell(new Rejected(Refusal.UNAVAILABLE, "history unavailable; retry"));
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

  // ---- helpers ----

  private RoomEvent.MemberChanged memberEvent(String user, String target, RoomEvent.MemberAction action, Role role) {
    return new RoomEvent.MemberChanged(user, target, action, role, System.currentTimeMillis());
  }

  /** Persists a membership change, keeps the rooms directory in step, then runs {@code after}. */
  private Effect<RoomEvent, RoomState> persistMemberChange(
      RoomEvent.MemberChanged event, java.util.function.Consumer<RoomState> after) {
    long started = System.nanoTime();
    return Effect()
        .persist(event)
        .thenRun(s -> {
          afterPersist(s, started);
          deps.index()
              .indexMember(roomId, event.target(), Optional.ofNullable(event.role()))
              .exceptionally(e -> logIndexFailure(e));
          after.accept(s);
        });
  }

  private Effect<RoomEvent, RoomState> persistChange(RoomEvent event, ActorRef<ChangeReply> replyTo) {
    long started = System.nanoTime();
    return Effect()
        .persist(event)
        .thenRun(s -> {
          afterPersist(s, started);
          replyTo.tell(applied(s, event));
        });
  }

  private Applied applied(RoomState state, RoomEvent event) {
    return new Applied(roomId, state.head(), event.ts());
  }

  private static Rejected notMember() {
    return new Rejected(Refusal.FORBIDDEN, "not a member of this room");
  }

  private static Rejected noSuchMessage() {
    return new Rejected(Refusal.NOT_FOUND, "no such message, or it was deleted");
  }

  private static Rejected memberRefusal(Refusal refusal) {
    return new Rejected(refusal, switch (refusal) {
      case NOT_FOUND -> "no such member";
      case BAD_REQUEST -> "the owner's role cannot be given or changed";
      default -> "your role does not allow this";
    });
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

  private void broadcastEphemeral(String json, String exceptUser, String collapseKey) {
    NodeRelay.DeliverEphemeral deliver = new NodeRelay.DeliverEphemeral(roomId, json, exceptUser, collapseKey);
    for (ActorRef<NodeRelay.Command> relay : relays) relay.tell(deliver);
  }

  private static RoomView view(RoomState state, String caller) {
    return new RoomView(state.info(), state.head(), state.memberViews(), state.roleOf(caller).orElse(null));
  }

  private Done logIndexFailure(Throwable e) {
    log.warn("room index update of {} failed; it is rewritten on the room's next recovery", roomId, e);
    return Done.getInstance();
  }
}
