package pekkochat.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import pekkochat.auth.Principal;
import pekkochat.fanout.NodeRelay;
import pekkochat.http.Json;
import pekkochat.presence.PresenceReplica;
import pekkochat.presence.ReplicatedPresence;
import pekkochat.room.RoomActor;
import pekkochat.wire.ClientFrameParser;
import pekkochat.wire.ServerFrames;

/**
 * One ConnectionActor of alice's, its rooms and relay test probes, never attached to a stream:
 * the test reads the socket's frames from its outbound queue itself.
 */
final class TestConnection {
  private static final Duration POLL = Duration.ofMillis(10);

  private final ActorRef<ConnectionActor.Command> actor;
  private final Outbound outbound;

  private TestConnection(ActorRef<ConnectionActor.Command> actor, Outbound outbound) {
    this.actor = actor;
    this.outbound = outbound;
  }

  /**
   * A kit whose shutdown does not end the test JVM (the node's application.conf has exit-jvm =
   * on); presence is Distributed Data, so the kit is a (never joined) cluster node on a free port.
   */
  static ActorTestKit kit() {
    return ActorTestKit.create(ConfigFactory.parseString(
        "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0\n"
            + "pekko.coordinated-shutdown.exit-jvm = off"));
  }

  static TestConnection start(
      ActorTestKit kit, TestProbe<RoomActor.Command> room, TestProbe<NodeRelay.Command> relay, Duration writeTimeout) {
    SocketSettings settings = new SocketSettings(
        65_536, 16, 65_536, 1, 10, Duration.ofSeconds(90), Duration.ofSeconds(30), 1, Duration.ofSeconds(3),
        TestRateLimits.uniform(20, 10), Duration.ofSeconds(5), writeTimeout);
    SocketMetrics metrics = new SocketMetrics(new SimpleMeterRegistry());
    ConnectionActor.Context context = new ConnectionActor.Context(
        id -> room.ref(), relay.ref(), settings, metrics, new ClientFrameParser(Json.mapper()),
        new ServerFrames(Json.mapper().getFactory()),
        new ReplicatedPresence(kit.spawn(PresenceReplica.create((user, status) -> {}, Clock.systemUTC())),
            kit.scheduler(), Duration.ofSeconds(1)));
    Outbound outbound = new Outbound(settings, metrics, new Heartbeat(kit.system(), Duration.ofSeconds(30), 1));
    ActorRef<ConnectionActor.Command> actor = kit.spawn(ConnectionActor.create(
        new Principal("alice", Instant.now().plusSeconds(3600)), outbound, context));
    return new TestConnection(actor, outbound);
  }

  void receive(String clientFrame) {
    actor.tell(new ConnectionActor.TextReceived(clientFrame));
  }

  /** The next frame the socket would write, or null when none comes within {@code within}. */
  ByteString nextFrame(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      ByteString frame = outbound.nextFrame();
      if (frame != null) return frame;
      Thread.sleep(POLL.toMillis());
    }
    return null;
  }

  /** The next frame as JSON (a frame of one object); fails when none comes within {@code within}. */
  JsonNode nextObject(Duration within) throws Exception {
    ByteString frame = nextFrame(within);
    if (frame == null) throw new AssertionError("no frame within " + within);
    return Json.mapper().readTree(frame.utf8String());
  }
}
