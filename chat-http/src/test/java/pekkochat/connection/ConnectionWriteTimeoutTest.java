package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pekkochat.fanout.NodeRelay;
import pekkochat.room.RoomActor;

/**
 * PROTOCOL.md section 5: a send its room does not answer is answered {@code unavailable} within
 * about a second (chat.ws.write-timeout), and the socket goes on; a late ack is dropped.
 */
@Timeout(20)
class ConnectionWriteTimeoutTest {
  private static final ActorTestKit kit = TestConnection.kit();
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aSendTheRoomDoesNotAnswerIsUnavailableAfterTheWriteTimeout() throws Exception {
    TestProbe<RoomActor.Command> room = kit.createTestProbe();
    TestProbe<NodeRelay.Command> relay = kit.createTestProbe();
    TestConnection connection = TestConnection.start(kit, room, relay, WRITE_TIMEOUT);

    long sent = System.nanoTime();
    connection.receive("{\"type\":\"send\",\"room\":\"r1\",\"clientId\":\"c1\",\"text\":\"hi\",\"ref\":\"s1\"}");
    RoomActor.Send send = room.expectMessageClass(RoomActor.Send.class);
    JsonNode reply = connection.nextObject(Duration.ofSeconds(5));
    long tookMillis = (System.nanoTime() - sent) / 1_000_000;
    assertEquals("error", reply.path("type").asText(), reply::toString);
    assertEquals("unavailable", reply.path("code").asText(), reply::toString);
    assertEquals("s1", reply.path("ref").asText(), reply::toString);
    assertTrue(tookMillis >= WRITE_TIMEOUT.toMillis() - 50 && tookMillis < WRITE_TIMEOUT.toMillis() + 700,
        "unavailable after about the write timeout, was " + tookMillis + " ms");

    send.replyTo().tell(new RoomActor.Acked("r1", "c1", 1, 0)); // too late: nobody is waiting
    connection.receive("{\"type\":\"ping\",\"ref\":\"p1\"}");
    JsonNode pong = connection.nextObject(Duration.ofSeconds(5));
    assertEquals("pong", pong.path("type").asText(), () -> "the socket goes on: " + pong);
  }
}
