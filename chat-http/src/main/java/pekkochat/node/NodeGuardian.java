package pekkochat.node;

import com.typesafe.config.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import pekkochat.bridge.Bridge;
import pekkochat.bridge.BridgeSettings;
import pekkochat.bridge.BridgedRoom;
import pekkochat.connection.ConnectionActor;
import pekkochat.connection.ConnectionManager;
import pekkochat.connection.SocketFlows;
import pekkochat.connection.SocketMetrics;
import pekkochat.connection.SocketSettings;
import pekkochat.fanout.NodeRelay;
import pekkochat.fanout.Rooms;
import pekkochat.http.AuthRoutes;
import pekkochat.http.HttpErrorMetrics;
import pekkochat.http.IdleConnections;
import pekkochat.http.Json;
import pekkochat.http.OriginPolicy;
import pekkochat.http.RoomRoutes;
import pekkochat.http.SocketRoute;
import pekkochat.http.WebClientRoutes;
import pekkochat.ops.NodeMetrics;
import pekkochat.ops.OpsRoutes;
import pekkochat.ops.Readiness;
import pekkochat.presence.Presence;
import pekkochat.presence.PresenceAnnouncer;
import pekkochat.presence.PresenceReplica;
import pekkochat.presence.ReplicatedPresence;
import pekkochat.room.ClusterMajority;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomMetrics;
import pekkochat.room.RoomSettings;
import pekkochat.room.WriteFence;
import pekkochat.storage.Database;
import pekkochat.storage.DirectoryRoomIndex;
import pekkochat.storage.InviteStore;
import pekkochat.storage.JournalHistory;
import pekkochat.storage.ReadMarkStore;
import pekkochat.storage.RoomDirectory;
import pekkochat.storage.WriterLock;
import pekkochat.transport.HttpConnections;
import pekkochat.transport.TcpServer;
import pekkochat.transport.TransportSettings;
import pekkochat.wire.ClientFrameParser;
import pekkochat.wire.ServerFrames;

/**
 * The node's root actor: starts sharding, the relay, the socket manager and the HTTP server,
 * joins the cluster (itself, when no seeds are set), and reports ready once a room round trip
 * through sharding and the journal succeeds.
 */
final class NodeGuardian {
  interface Command {}

  private record ClusterUp() implements Command {}

  private record ProbeResult(boolean ok) implements Command {}

  /** A room id no node ever creates (created ids have no dash): its recovery reads the journal. */
  private static final String PROBE_ROOM = "readiness-probe";

  private static final Duration PROBE_RETRY = Duration.ofSeconds(1);

  private NodeGuardian() {}

  static Behavior<Command> create(
      NodeConfig node, Database database, WriterLock writerLock, PrometheusMeterRegistry registry, Readiness readiness) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      var chat = node.chat();
      ServerFrames frames = new ServerFrames(Json.mapper().getFactory());
      RoomDirectory directory = new RoomDirectory(database);
      RoomSettings roomSettings = RoomSettings.fromConfig(chat.getConfig("room"));
      InviteStore invites = new InviteStore(database);
      if (node.writerMode() == WriterLock.Mode.ELECTED) fenceWrites(ctx, chat.getConfig("pause-fence"));
      RoomActor.Dependencies roomDependencies = new RoomActor.Dependencies(
          roomSettings, frames, new DirectoryRoomIndex(directory), new JournalHistory(system),
          new ReadMarkStore(database), invites, new RoomMetrics(registry));
      ClusterSharding sharding = ClusterSharding.get(system);
      Rooms rooms = node.bridged() ? Bridge.rooms(system) : id -> sharding.entityRefFor(RoomActor.TYPE_KEY, id);
      SocketSettings socketSettings = SocketSettings.fromConfig(chat);
      ActorRef<NodeRelay.Command> relay = ctx.spawn(NodeRelay.create(rooms, directory::roomsOf), "relay").narrow();
      PresenceAnnouncer toLocalSockets = (user, status) ->
          relay.tell(new NodeRelay.PresenceChanged(user, frames.presence(user, status.wireName())));
      ActorRef<PresenceReplica.Command> presenceReplica;
      if (node.bridged()) {
        presenceReplica = Bridge.start(ctx, BridgeSettings.fromConfig(chat.getConfig("redis")), node.nodeId(), relay,
            roomDependencies, toLocalSockets, up -> {
              Readiness.State before = readiness.state();
              readiness.redis(up);
              if (readiness.state() != before) ctx.getSystem().log().warn("readiness: {} -> {}", before, readiness.state());
            });
      } else {
        RoomActor.initSharding(system, roomDependencies);
        presenceReplica = ctx.spawn(PresenceReplica.create(toLocalSockets, Clock.systemUTC()), "presence");
      }
      Presence presence = new ReplicatedPresence(presenceReplica, system.scheduler(), socketSettings.askTimeout());
      ctx.spawn(NodeMetrics.create(registry, relay, node.bridged() ? BridgedRoom.TYPE_KEY : RoomActor.TYPE_KEY, chat.getDuration("metrics.shard-poll-interval")),
          "node-metrics");
      SocketMetrics socketMetrics = new SocketMetrics(registry);
      ActorRef<ConnectionManager.Command> sockets = ctx.spawn(
          ConnectionManager.create(new ConnectionActor.Context(
              rooms, relay, socketSettings, socketMetrics, new ClientFrameParser(Json.mapper()), frames, presence)),
          "sockets");

      AuthRoutes auth = AuthRoutes.create(node.config(), database);
      Route routes = new AllDirectives() {}.concat(
          new OpsRoutes(readiness, registry).routes(),
          auth.routes(),
          new RoomRoutes(rooms, directory, invites, presence, system, socketSettings.askTimeout())
              .routes(auth::authenticated),
          new SocketRoute(auth, new SocketFlows(sockets, system, socketSettings, socketMetrics),
              new OriginPolicy(chat.getString("ws.allowed-origins"))).route(),
          WebClientRoutes.routes());

      IdleConnections idleConnections = new IdleConnections(system, chat.getDuration("http.idle-timeout"),
          chat.getDuration("http.idle-check-interval"));
      CompletionStage<TcpServer> binding = TcpServer.bind(system,
          TransportSettings.from(chat.getConfig("http"), system),
          HttpConnections.serving(system, idleConnections.watching(new HttpErrorMetrics(registry).counting(routes).flow(system))));
      binding.whenComplete((b, failure) -> {
        if (failure != null) {
          ctx.getSystem().log().error("cannot serve HTTP on {}:{}", chat.getString("http.host"), chat.getInt("http.port"), failure);
          system.terminate();
        } else {
          ctx.getSystem().log().info("node {} serves HTTP on {}", node.nodeId(), b.localAddress());
        }
      });
      addDrain(system, readiness, sockets, binding, chat.getDuration("drain.readiness-grace"), auth, database, writerLock);

      Cluster cluster = Cluster.get(system);
      cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, up -> new ClusterUp()), SelfUp.class));
      if (node.joinsItself()) cluster.manager().tell(Join.create(cluster.selfMember().address()));

      return Behaviors.receive(Command.class)
          .onMessage(ClusterUp.class, up -> probe(ctx, rooms, socketSettings.askTimeout(), binding))
          .onMessage(ProbeResult.class, result -> {
            if (result.ok()) {
              readiness.ready();
              ctx.getLog().info("node {} is ready", node.nodeId());
              ctx.spawn(StorageWatch.create(database, readiness, chat.getDuration("readiness.storage-check-interval"),
                  chat.getDuration("readiness.storage-check-timeout")), "storage-watch");
            } else {
              ctx.scheduleOnce(PROBE_RETRY, ctx.getSelf(), new ClusterUp());
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  /** Ready = HTTP bound, and a room answers: sharding allocates and the journal is readable. */
  private static Behavior<Command> probe(
      ActorContext<Command> ctx, Rooms rooms, Duration timeout, CompletionStage<TcpServer> binding) {
    ctx.pipeToSelf(
        binding.thenCompose(bound -> AskPattern.<RoomActor.Command, RoomActor.RoomReply>ask(
            rooms.room(PROBE_ROOM), replyTo -> new RoomActor.GetRoom("", replyTo), timeout, ctx.getSystem().scheduler())),
        (reply, failure) -> new ProbeResult(failure == null));
    return Behaviors.same();
  }

  /**
   * A node that elects its rooms' writers with peers (cluster or bridge) stops writing when it was
   * paused for longer than its peers wait (and then shuts down), or when it does not see a majority
   * of its cluster (WriteFence); before any room starts.
   */
  private static void fenceWrites(ActorContext<?> ctx, Config pauses) {
    ActorSystem<?> system = ctx.getSystem();
    WriteFence fence = WriteFence.get(system);
    fence.watchPauses(system, pauses.getDuration("beat"), pauses.getDuration("bound"),
        () -> CoordinatedShutdown.get(system).run(PausedTooLong.INSTANCE));
    ctx.spawn(ClusterMajority.create(fence), "cluster-majority");
  }

  /** Why a paused node shut itself down, as CoordinatedShutdown reports it. */
  private enum PausedTooLong implements CoordinatedShutdown.Reason { INSTANCE }

  /**
   * On SIGTERM (CoordinatedShutdown): report not ready, give balancers a moment to notice, close
   * every socket with {@code draining}, stop taking connections; sharding then hands rooms off.
   */
  private static void addDrain(
      ActorSystem<Void> system, Readiness readiness, ActorRef<ConnectionManager.Command> sockets,
      CompletionStage<TcpServer> binding, Duration readinessGrace, AuthRoutes auth, Database database,
      WriterLock writerLock) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    Duration drainTimeout = Duration.ofMillis(
        shutdown.timeout(CoordinatedShutdown.PhaseBeforeServiceUnbind()).toMillis());
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "drain-sockets", () -> {
      readiness.draining();
      CompletableFuture<Done> graceOver = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(readinessGrace.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> graceOver.complete(Done.getInstance()));
      return graceOver.thenCompose(done -> AskPattern.<ConnectionManager.Command, Done>ask(
          sockets, ConnectionManager.Drain::new, drainTimeout.minus(readinessGrace), system.scheduler()));
    });
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
        () -> binding.thenCompose(TcpServer::unbind));
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-storage", () -> {
      try {
        auth.close();
      } catch (Exception e) {
        system.log().warn("closing auth failed", e);
      }
      database.close();
      if (writerLock != null) writerLock.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }
}
