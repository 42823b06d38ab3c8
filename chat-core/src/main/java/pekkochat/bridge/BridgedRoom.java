package pekkochat.bridge;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import pekkochat.fanout.NodeRelay;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomProtocol;
import pekkochat.room.RoomSubscriber;

/**
 * A room on a bridged node: the sharded entity in this node's own cluster, which decides through
 * the room's lease in Redis whether this node writes the room.
 *
 * <ul>
 *   <li>Writer: it holds the lease, renews it, and runs the {@link RoomActor} as its child. It
 *       follows the room ({@link RoomProtocol.Follow}) and publishes each event once on the
 *       room's channel, for the other nodes' sockets. Commands forwarded by other nodes go to the
 *       room as they came; a forwarded join names this follower as its subscriber.
 *   <li>Follower: another node holds the lease. Commands go to it through its inbox; the local
 *       relay's events come from the room's channel. Every renewal period it looks again, and
 *       takes the lease when its writer's ran out.
 *   <li>Resolving: between the two, while the lease is read; commands wait (bounded).
 * </ul>
 *
 * A writer that loses its lease, or cannot renew it for a lease's time, stops its room and looks
 * again; one that has not noticed yet is fenced by the journal's (persistence id, sequence number)
 * key, its room restarts, and the restart makes it look again.
 */
public final class BridgedRoom extends AbstractBehavior<Object> {

  /** The rooms' entity type on a bridged node: named like {@link RoomActor#TYPE_KEY}, typed for the bridge's messages. */
  public static final EntityTypeKey<Object> TYPE_KEY = EntityTypeKey.create(Object.class, RoomActor.TYPE_KEY.name());

  /** The messages of the bridge's own parts to a room. */
  interface Internal {}

  /** From the inbox: a command another node forwarded to this room's writer; never forwarded again. */
  record Remote(RoomProtocol.Command command) implements Internal {}

  /** From the inbox: {@code writer}'s inbox had no subscriber, or Redis failed: look for the writer again. */
  record WriterUnreachable(String writer) implements Internal {}

  private record LeaseAnswer(String holder, Throwable failure) implements Internal {}

  private record Renewed(Boolean mine, Throwable failure) implements Internal {}

  private record Recheck() implements Internal {}

  private record ChildPassivates() implements Internal {}

  private record ChildStopped() implements Internal {}

  private record Idle() implements Internal {}

  private enum Mode { RESOLVING, WRITER, STOPPING_CHILD, FOLLOWER }

  private static final String LEASE_TIMER = "lease";

  /** What a bridged room needs besides its room's own dependencies. */
  record Links(BridgeNode node, ActorRef<Object> inbox, ActorRef<NodeRelay.Command> relay) {}

  static Behavior<Object> create(
      String roomId, ActorRef<ClusterSharding.ShardCommand> shard, Links links, RoomActor.Dependencies room) {
    return Behaviors.withStash(links.node().settings().stashCapacity(), stash ->
        Behaviors.withTimers(timers ->
            Behaviors.setup(ctx -> new BridgedRoom(ctx, stash, timers, roomId, shard, links, room).resolve())));
  }

  private final StashBuffer<Object> stash;
  private final TimerScheduler<Object> timers;
  private final String roomId;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final BridgeNode node;
  private final Links links;
  private final RoomActor.Dependencies room;
  private final ActorRef<RoomSubscriber> asSubscriber;
  private final ActorRef<RoomProtocol.Command> asRoom;
  private final ActorRef<Internal> asFollower;
  private final String channel;

  private Mode mode = Mode.RESOLVING;
  private String writer;
  private ActorRef<RoomProtocol.Command> child;
  private long renewedAtNanos;
  private long resolvedAtNanos;
  /** The local relay has sockets on this room (follower only: a writer's room knows its relay itself). */
  private boolean localSubscribed;
  /** Sharding asked this entity to stop: once the room stopped, release the lease and stop. */
  private boolean stopping;
  /** Redis did not answer the last lookup: commands are answered at once until the next try. */
  private boolean redisDown;

  private BridgedRoom(
      ActorContext<Object> ctx, StashBuffer<Object> stash, TimerScheduler<Object> timers, String roomId,
      ActorRef<ClusterSharding.ShardCommand> shard, Links links, RoomActor.Dependencies room) {
    super(ctx);
    this.stash = stash;
    this.timers = timers;
    this.roomId = roomId;
    this.shard = shard;
    this.node = links.node();
    this.links = links;
    this.room = room;
    this.asSubscriber = ctx.getSelf().narrow();
    this.asRoom = ctx.getSelf().narrow();
    this.asFollower = ctx.getSelf().narrow();
    this.channel = node.names().room(roomId);
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(RoomProtocol.Command.class, cmd -> onCommand(cmd, false))
        .onMessage(Remote.class, remote -> onCommand(remote.command(), true))
        .onMessage(RoomSubscriber.class, this::onRoomOutput)
        .onMessage(LeaseAnswer.class, this::onLease)
        .onMessage(Renewed.class, this::onRenewed)
        .onMessage(Recheck.class, this::onRecheck)
        .onMessage(WriterUnreachable.class, this::onWriterUnreachable)
        .onMessage(ChildPassivates.class, p -> {
          shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          return this;
        })
        .onMessage(ChildStopped.class, this::onChildStopped)
        .onMessage(Idle.class, idle -> {
          if (mode == Mode.FOLLOWER && !localSubscribed) shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          return this;
        })
        .build();
  }

  private Behavior<Object> resolve() {
    resolvedAtNanos = System.nanoTime();
    getContext().pipeToSelf(node.lease().acquire(roomId), LeaseAnswer::new);
    return this;
  }

  private Behavior<Object> onCommand(RoomProtocol.Command cmd, boolean remote) {
    if (cmd instanceof RoomProtocol.Stop) return onStop();
    switch (mode) {
      case WRITER -> child.tell(remote && cmd instanceof RoomProtocol.Join join
          ? new RoomProtocol.Join(join.user(), join.lastSeq(), asSubscriber, join.replyTo())
          : cmd);
      case FOLLOWER -> {
        if (remote) {
          Unavailable.answer(roomId, cmd, "this node does not write the room any more; retry");
        } else {
          forward(cmd);
        }
      }
      default -> {
        if (mode == Mode.RESOLVING && redisDown) {
          Unavailable.answer(roomId, cmd, "the room's writer cannot be found: Redis is unavailable");
        } else if (stash.isFull()) {
          Unavailable.answer(roomId, cmd, "the room is busy; retry");
        } else {
          stash.stash(remote ? new Remote(cmd) : cmd);
        }
      }
    }
    return this;
  }

  private void forward(RoomProtocol.Command cmd) {
    if (cmd instanceof RoomProtocol.RemoveRelay) {
      localSubscribed = false;
      return;
    }
    if (cmd instanceof RoomProtocol.Follow) return;
    if (cmd instanceof RoomProtocol.Join join) {
      localSubscribed = true;
      join.subscriber().tell(new RoomSubscriber.Subscribed(roomId, asRoom));
    }
    links.inbox().tell(new BridgeInbox.Forward(roomId, writer, cmd, asFollower));
  }

  private Behavior<Object> onStop() {
    stopping = true;
    if (mode == Mode.WRITER) {
      stopChild();
      return this;
    }
    if (mode == Mode.STOPPING_CHILD) return this;
    answerStashed("the room is moving; retry");
    return Behaviors.stopped();
  }

  /** Events and frames of the room this node writes: once on the room's channel, for the other nodes. */
  private Behavior<Object> onRoomOutput(RoomSubscriber output) {
    if (output instanceof RoomSubscriber.Event event) {
      publish(node.codec().event(node.self(), event.event()));
    } else if (output instanceof RoomSubscriber.Ephemeral ephemeral) {
      publish(node.codec().ephemeral(node.self(), ephemeral.json(), ephemeral.exceptUser()));
    } else if (output instanceof RoomSubscriber.Reset && mode == Mode.WRITER) {
      // the room restarts after a journal failure (perhaps a newer writer's key fenced it): the
      // other nodes' sockets subscribe again, and this node checks that it still holds the lease
      publish(node.codec().reset(node.self()));
      child.tell(new RoomProtocol.Follow(asSubscriber));
      getContext().pipeToSelf(node.lease().renew(roomId), Renewed::new);
    }
    return this;
  }

  private void publish(byte[] message) {
    node.publisher().tell(new RedisPublisher.Publish(channel, message, null, 0));
  }

  private Behavior<Object> onLease(LeaseAnswer answer) {
    if (mode != Mode.RESOLVING && mode != Mode.FOLLOWER) return this;
    if (answer.failure() != null) {
      if (mode == Mode.RESOLVING) {
        getContext().getLog().warn("room {}: its lease cannot be read: {}", roomId, answer.failure().toString());
        redisDown = true;
        answerStashed("the room's writer cannot be found: Redis is unavailable");
        timers.startSingleTimer(LEASE_TIMER, new Recheck(), node.settings().resolveRetry());
      }
      return this;
    }
    redisDown = false;
    if (answer.holder().equals(node.self())) return becomeWriter();
    if (mode == Mode.RESOLVING) return becomeFollower(answer.holder());
    if (!answer.holder().equals(writer)) {
      getContext().getLog().info("room {}: its writer moved from {} to {}", roomId, writer, answer.holder());
      writer = answer.holder();
      if (localSubscribed) links.relay().tell(new NodeRelay.Resubscribe(roomId));
    }
    return this;
  }

  private Behavior<Object> becomeWriter() {
    boolean wasFollower = mode == Mode.FOLLOWER;
    mode = Mode.WRITER;
    writer = node.self();
    getContext().cancelReceiveTimeout();
    ActorRef<ClusterSharding.ShardCommand> shardOfChild =
        getContext().messageAdapter(ClusterSharding.ShardCommand.class, command -> new ChildPassivates());
    child = getContext().spawn(RoomActor.create(roomId, shardOfChild, room), "room");
    getContext().watchWith(child, new ChildStopped());
    child.tell(new RoomProtocol.Follow(asSubscriber));
    renewedAtNanos = System.nanoTime();
    timers.startTimerWithFixedDelay(LEASE_TIMER, new Recheck(), node.settings().leaseRenewEvery());
    if (wasFollower && localSubscribed) links.relay().tell(new NodeRelay.Resubscribe(roomId));
    localSubscribed = false;
    getContext().getLog().debug("room {}: this node writes it", roomId);
    return stash.unstashAll(this);
  }

  private Behavior<Object> becomeFollower(String holder) {
    mode = Mode.FOLLOWER;
    writer = holder;
    timers.startTimerWithFixedDelay(LEASE_TIMER, new Recheck(), node.settings().leaseRenewEvery());
    getContext().setReceiveTimeout(room.settings().passivateAfter(), new Idle());
    return stash.unstashAll(this);
  }

  private Behavior<Object> onRecheck(Recheck recheck) {
    switch (mode) {
      case WRITER -> getContext().pipeToSelf(node.lease().renew(roomId), Renewed::new);
      case RESOLVING, FOLLOWER -> resolve();
      default -> {}
    }
    return this;
  }

  private Behavior<Object> onRenewed(Renewed renewed) {
    if (mode != Mode.WRITER) return this;
    if (renewed.failure() != null) {
      long sinceRenewal = System.nanoTime() - renewedAtNanos;
      if (sinceRenewal > node.settings().leaseTtl().minus(node.settings().leaseRenewEvery()).toNanos()) {
        getContext().getLog().warn("room {}: its lease could not be renewed ({}); this node stops writing it",
            roomId, renewed.failure().toString());
        stopChild();
      }
    } else if (renewed.mine()) {
      renewedAtNanos = System.nanoTime();
    } else {
      getContext().getLog().warn("room {}: another node holds its lease; this node stops writing it", roomId);
      stopChild();
    }
    return this;
  }

  private Behavior<Object> onWriterUnreachable(WriterUnreachable unreachable) {
    boolean recently = System.nanoTime() - resolvedAtNanos < node.settings().resolveRetry().toNanos();
    if (mode == Mode.FOLLOWER && unreachable.writer().equals(writer) && !recently) resolve();
    return this;
  }

  private void stopChild() {
    mode = Mode.STOPPING_CHILD;
    timers.cancel(LEASE_TIMER);
    child.tell(new RoomProtocol.Stop());
  }

  private Behavior<Object> onChildStopped(ChildStopped stopped) {
    child = null;
    if (stopping || mode == Mode.WRITER) {
      // passivated or moved by sharding, or the room stopped by itself: the next command starts afresh
      node.lease().release(roomId);
      answerStashed("the room is moving; retry");
      return Behaviors.stopped();
    }
    mode = Mode.RESOLVING;
    return resolve();
  }

  private void answerStashed(String why) {
    stash.forEach(message -> {
      if (message instanceof RoomProtocol.Command cmd) Unavailable.answer(roomId, cmd, why);
      else if (message instanceof Remote remote) Unavailable.answer(roomId, remote.command(), why);
    });
    stash.clear();
  }
}
