package pekkochat.bridge;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import pekkochat.fanout.NodeRelay;
import pekkochat.room.RoomProtocol;

/**
 * The node's end of the command path between bridged nodes. Outgoing: a follower's command is
 * published to its writer's inbox with a request id, and the asker is remembered until the last
 * reply (or the request timeout). Incoming: a command for a room this node writes goes to the
 * room with a {@link ReplyForwarder} as its asker; a reply goes to the asker remembered for it.
 * A command whose writer's inbox has no subscriber (the node is gone) is answered
 * {@code unavailable} at once, and its follower told to look for the writer again.
 */
final class BridgeInbox extends AbstractBehavior<Object> {

  /** From a follower: send {@code command} to the room's {@code writer}. */
  record Forward(String room, String writer, RoomProtocol.Command command, ActorRef<BridgedRoom.Internal> follower) {}

  private record Outgoing(String room, String writer, RoomProtocol.Command command, ActorRef<BridgedRoom.Internal> follower) {}

  private record Pending(ActorRef<Object> asker, ActorRef<BridgedRoom.Internal> follower, long expiresAtNanos) {}

  private record Sweep() {}

  static Behavior<Object> create(BridgeNode node, ActorRef<NodeRelay.Command> relay) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Sweep(), node.settings().requestTimeout());
      return new BridgeInbox(ctx, node, relay);
    }));
  }

  private final BridgeNode node;
  private final ActorRef<NodeRelay.Command> relay;
  private final ClusterSharding sharding;
  private final ActorRef<RedisPublisher.Published> publishedRef;
  private final Map<Long, Outgoing> publishing = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextId = 1;

  private BridgeInbox(ActorContext<Object> ctx, BridgeNode node, ActorRef<NodeRelay.Command> relay) {
    super(ctx);
    this.node = node;
    this.relay = relay;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.publishedRef = ctx.messageAdapter(RedisPublisher.Published.class, p -> p);
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(Forward.class, this::onForward)
        .onMessage(RedisPublisher.Published.class, this::onPublished)
        .onMessage(BridgeCodec.CommandIn.class, this::onCommand)
        .onMessage(BridgeCodec.ReplyIn.class, this::onReply)
        .onMessage(RedisListener.Subscribed.class, this::onSubscribed)
        .onMessage(RedisListener.Broken.class, broken -> {
          node.redisState().accept(false);
          return this;
        })
        .onMessage(RedisListener.RoomRestarted.class, restarted -> {
          relay.tell(new NodeRelay.Resubscribe(restarted.room()));
          return this;
        })
        .onMessage(Sweep.class, this::onSweep)
        .build();
  }

  private Behavior<Object> onForward(Forward forward) {
    long id = nextId++;
    byte[] message;
    try {
      message = node.codec().command(node.self(), id, forward.room(), forward.command());
    } catch (RuntimeException e) {
      getContext().getLog().error("cannot encode {} for room {}", forward.command().getClass().getSimpleName(), forward.room(), e);
      Unavailable.answer(forward.room(), forward.command(), "the room's writer cannot be reached");
      return this;
    }
    if (Unavailable.expectsReply(forward.command())) {
      pending.put(id, new Pending(asker(forward.command()), forward.follower(),
          System.nanoTime() + node.settings().requestTimeout().toNanos()));
    }
    publishing.put(id, new Outgoing(forward.room(), forward.writer(), forward.command(), forward.follower()));
    node.publisher().tell(new RedisPublisher.Publish(node.names().inbox(forward.writer()), message, publishedRef, id));
    return this;
  }

  @SuppressWarnings("unchecked")
  private static ActorRef<Object> asker(RoomProtocol.Command command) {
    ActorRef<?> asker = command instanceof RoomProtocol.Join join ? join.replyTo() : ((RoomProtocol.Request) command).replyTo();
    return (ActorRef<Object>) asker;
  }

  private Behavior<Object> onPublished(RedisPublisher.Published published) {
    Outgoing outgoing = publishing.remove(published.token());
    if (outgoing == null || published.receivers() > 0) return this;
    pending.remove(published.token());
    Unavailable.answer(outgoing.room(), outgoing.command(), published.failed()
        ? "the room's writer cannot be reached: Redis is unavailable" : "the room's writer is gone; retry");
    outgoing.follower().tell(new BridgedRoom.WriterUnreachable(outgoing.writer()));
    return this;
  }

  private Behavior<Object> onCommand(BridgeCodec.CommandIn in) {
    ActorRef<Object> forwarder = getContext().getSystem().deadLetters();
    if (RoomProtocol.Join.class.equals(in.type()) || RoomProtocol.Request.class.isAssignableFrom(in.type())) {
      forwarder = getContext().spawnAnonymous(ReplyForwarder.create(
          node.names().inbox(in.from()), in.id(), node.codec(), node.publisher(), node.settings().requestTimeout()));
    }
    RoomProtocol.Command command;
    try {
      command = node.codec().command(in, forwarder, getContext().getSystem().deadLetters());
    } catch (RuntimeException e) {
      getContext().getLog().warn("dropped an unreadable {} for room {}: {}", in.type().getSimpleName(), in.room(), e.toString());
      getContext().stop(forwarder);
      return this;
    }
    sharding.entityRefFor(BridgedRoom.TYPE_KEY, in.room()).tell(new BridgedRoom.Remote(command));
    return this;
  }

  private Behavior<Object> onReply(BridgeCodec.ReplyIn in) {
    Pending waiting = pending.get(in.id());
    if (waiting == null) return this; // answered already (timed out, or its writer was gone)
    Object reply;
    try {
      reply = node.codec().reply(in, waiting.follower().unsafeUpcast());
    } catch (RuntimeException e) {
      getContext().getLog().warn("dropped an unreadable {} reply: {}", in.type().getSimpleName(), e.toString());
      return this;
    }
    waiting.asker().tell(reply);
    if (Unavailable.isFinal(reply)) pending.remove(in.id());
    return this;
  }

  private Behavior<Object> onSubscribed(RedisListener.Subscribed subscribed) {
    node.redisState().accept(true);
    // pub/sub kept nothing while this node was not subscribed: every socket fills its gap
    if (subscribed.again()) relay.tell(new NodeRelay.Resubscribe(null));
    return this;
  }

  private Behavior<Object> onSweep(Sweep sweep) {
    long now = System.nanoTime();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAtNanos() - now < 0) it.remove();
    }
    return this;
  }
}
