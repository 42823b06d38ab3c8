package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pekkochat.auth.Principal;
import pekkochat.fanout.NodeRelay;
import pekkochat.http.Json;
import pekkochat.presence.PresenceReplica;
import pekkochat.presence.ReplicatedPresence;
import pekkochat.room.RoomActor;
import pekkochat.wire.ClientFrameParser;
import pekkochat.wire.ServerFrames;

/**
 * PROTOCOL.md section 5: a send its room does not answer is answered {@code unavailable} within
 * about a second (chat.ws.write-timeout), and the socket goes on; a late ack is dropped.
 */
@Timeout(20)
class ConnectionWriteTimeoutTest {
  // the node's application.conf would end the test JVM when the kit shuts down (exit-jvm = on);
  // presence is Distributed Data, so the kit is a (never joined) cluster node on a free port
  private static final ActorTestKit kit = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
      "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0\n"
          + "pekko.coordinated-shutdown.exit-jvm = off"));
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aSendTheRoomDoesNotAnswerIsUnavailableAfterTheWriteTimeout() throws Exception {
    TestProbe<RoomActor.Command> room = kit.createTestProbe();
    TestProbe<NodeRelay.Command> relay = kit.createTestProbe();
    SocketSettings settings = new SocketSettings(
        65_536, 16, 65_536, 1, 10, Duration.ofSeconds(90), Duration.ofSeconds(30), 1, Duration.ofSeconds(3),
        TestRateLimits.uniform(20, 10), Duration.ofSeconds(5), WRITE_TIMEOUT);
    SocketMetrics metrics = new SocketMetrics(new SimpleMeterRegistry());
    ConnectionActor.Context context = new ConnectionActor.Context(
        id -> room.ref(), relay.ref(), settings, metrics, new ClientFrameParser(Json.mapper()),
        new ServerFrames(Json.mapper().getFactory()),
        new ReplicatedPresence(kit.spawn(PresenceReplica.create((user, status) -> {}, java.time.Clock.systemUTC())),
            kit.scheduler(), Duration.ofSeconds(1)));
    // never attached to a stream: the test reads the socket's frames from the queue itself
    Outbound outbound = new Outbound(settings, metrics, new Heartbeat(kit.system(), Duration.ofSeconds(30), 1));
    ActorRef<ConnectionActor.Command> connection = kit.spawn(ConnectionActor.create(
        new Principal("alice", Instant.now().plusSeconds(3600)), outbound, context));

    long sent = System.nanoTime();
    connection.tell(new ConnectionActor.TextReceived(
        "{\"type\":\"send\",\"room\":\"r1\",\"clientId\":\"c1\",\"text\":\"hi\",\"ref\":\"s1\"}"));
    RoomActor.Send send = room.expectMessageClass(RoomActor.Send.class);
    JsonNode reply = nextObject(outbound, Duration.ofSeconds(5));
    long tookMillis = (System.nanoTime() - sent) / 1_000_000;
    assertEquals("error", reply.path("type").asText(), reply::toString);
    assertEquals("unavailable", reply.path("code").asText(), reply::toString);
    assertEquals("s1", reply.path("ref").asText(), reply::toString);
    assertTrue(tookMillis >= WRITE_TIMEOUT.toMillis() - 50 && tookMillis < WRITE_TIMEOUT.toMillis() + 700,
        "unavailable after about the write timeout, was " + tookMillis + " ms");

    send.replyTo().tell(new RoomActor.Acked("r1", "c1", 1, 0)); // too late: nobody is waiting
    connection.tell(new ConnectionActor.TextReceived("{\"type\":\"ping\",\"ref\":\"p1\"}"));
    JsonNode pong = nextObject(outbound, Duration.ofSeconds(5));
    assertEquals("pong", pong.path("type").asText(), () -> "the socket goes on: " + pong);
  }

  private static JsonNode nextObject(Outbound outbound, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      ByteString frame = outbound.nextFrame();
      if (frame != null) return Json.mapper().readTree(frame.utf8String());
      Thread.sleep(10);
    }
    throw new AssertionError("no frame within " + within);
  }
}
