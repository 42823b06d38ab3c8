package pekkochat.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import pekkochat.fanout.NodeRelay;
import pekkochat.fanout.Rooms;
import pekkochat.presence.PresenceAnnouncer;
import pekkochat.presence.PresenceReplica;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomProtocol;

/**
 * Bridged mode (PROTOCOL.md section 2): nodes that are not one Pekko cluster, sharing PostgreSQL
 * and Redis. This starts the node's side of it: the Redis client on its own dispatcher, the
 * publisher, the inbox, the listener thread, and the rooms as {@link BridgedRoom}s. The rest of
 * the node sees only {@link Rooms}, as in a cluster; the room code does not know which it has.
 */
public final class Bridge {
  /** The dispatcher every blocking Redis call runs on (application.conf). */
  public static final String DISPATCHER = "chat.redis.dispatcher";

  private Bridge() {}

  /** The rooms of a bridged node, for the relay, sockets and REST; valid before {@link #start}. */
  public static Rooms rooms(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return id -> bridgedRoom(sharding, id);
  }

  /**
   * Starts the bridge under {@code ctx} and returns the node's presence, which is every bridged
   * node's. {@code relay} gets the other nodes' events of rooms its sockets joined;
   * {@code announcer} hears every presence change; {@code redisState} hears whether this node's
   * Redis subscription stands.
   */
  public static ActorRef<PresenceReplica.Command> start(
      ActorContext<?> ctx, BridgeSettings settings, String nodeId, ActorRef<NodeRelay.Command> relay,
      RoomActor.Dependencies roomDependencies, PresenceAnnouncer announcer, Consumer<Boolean> redisState) {
    ActorSystem<?> system = ctx.getSystem();
    RedisConnection redis = new RedisConnection(settings, system.dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER)));
    // a restarted node is a new holder: it waits for its previous process's leases to run out
    String self = nodeId + "/" + UUID.randomUUID().toString().substring(0, 8);
    BridgeChannels names = new BridgeChannels(settings.namespace());
    BridgeCodec codec = new BridgeCodec();
    ActorRef<RedisPublisher.Command> publisher = ctx.spawn(RedisPublisher.create(redis, settings), "redis-publisher");
    BridgeNode node = new BridgeNode(settings, names, codec, self, publisher,
        new RoomLease(redis, names, self, settings.leaseTtl()), redisState);
    ActorRef<Object> inbox = ctx.spawn(BridgeInbox.create(node, relay), "bridge-inbox");
    BridgedRoom.Links links = new BridgedRoom.Links(node, inbox, relay);

    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(BridgedRoom.TYPE_KEY,
            entity -> BridgedRoom.create(entity.getEntityId(), entity.getShard(), links, roomDependencies))
        .withStopMessage(new RoomProtocol.Stop()));

    ActorRef<Object> presence = ctx.spawn(PresenceHub.create(node, redis, announcer, Clock.systemUTC()), "presence");
    RedisListener listener = new RedisListener(
        redis, names, codec, self, settings, relay.unsafeUpcast(), inbox::tell, presence::tell);
    Thread thread = new Thread(listener, "redis-listener");
    thread.setDaemon(true);
    thread.start();
    system.log().info("bridged through Redis at {} as {} (namespace {})", settings.redactedUrl(), self, settings.namespace());

    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // the other nodes take this node's users offline at once, not after dead-after
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "leave-presence", () -> redis.call(jedis -> {
      jedis.del(names.presenceOf(self));
      jedis.zrem(names.presenceNodes(), self);
      jedis.publish(names.presence().getBytes(StandardCharsets.UTF_8), codec.nodeLeft(self));
      return Done.getInstance();
    }).exceptionally(failure -> Done.getInstance()));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-redis", () -> {
      listener.stop();
      redis.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return presence.narrow();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static RecipientRef<RoomActor.Command> bridgedRoom(ClusterSharding sharding, String roomId) {
    // a bridged room takes every room command and the bridge's own messages besides
    return (RecipientRef) sharding.entityRefFor(BridgedRoom.TYPE_KEY, roomId);
  }
}
