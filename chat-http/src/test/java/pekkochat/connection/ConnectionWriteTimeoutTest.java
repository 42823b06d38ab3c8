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
import pekkochat.room.RoomActor;

/**
 * PROTOCOL.md section 5: a send its room does not answer is answered {@code unavailable} within
 * about a second (chat.ws.write-timeout), and the socket goes on; a late ack is dropped. One
 * timer serves all of a socket's waiting writes, each on its own deadline.
 */
@Timeout(20)
class ConnectionWriteTimeoutTest {
  private static final ActorTestKit kit = TestConnection.kit();
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /** The client sends; the room gets the send (and, being a probe, answers nothing by itself). */
  private static RoomActor.Send send(TestConnection connection, TestProbe<RoomActor.Command> room, String clientId, String ref) {
    connection.receive("{\"type\":\"send\",\"room\":\"r1\",\"clientId\":\"" + clientId + "\",\"text\":\"hi\",\"ref\":\"" + ref + "\"}");
    return room.expectMessageClass(RoomActor.Send.class);
  }

  @Test
  void aSendTheRoomDoesNotAnswerIsUnavailableAfterTheWriteTimeout() throws Exception {
    TestProbe<RoomActor.Command> room = kit.createTestProbe();
    TestConnection connection = TestConnection.start(kit, room, kit.createTestProbe(), WRITE_TIMEOUT);

    long sent = System.nanoTime();
    RoomActor.Send send = send(connection, room, "c1", "s1");
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

  @Test
  void eachWriteIsAnsweredOnceAtItsOwnDeadlineWhateverTheOthersDo() throws Exception {
    TestProbe<RoomActor.Command> room = kit.createTestProbe();
    TestConnection connection = TestConnection.start(kit, room, kit.createTestProbe(), WRITE_TIMEOUT);

    long first = System.nanoTime();
    send(connection, room, "c1", "s1");
    Thread.sleep(400);
    RoomActor.Send second = send(connection, room, "c2", "s2");
    RoomActor.Send third = send(connection, room, "c3", "s3");
    second.replyTo().tell(new RoomActor.Acked("r1", "c2", 7, 0));
    JsonNode ack = connection.nextObject(Duration.ofSeconds(5));
    assertEquals("ack", ack.path("type").asText(), ack::toString);
    assertEquals("s2", ack.path("ref").asText(), ack::toString);

    JsonNode firstLate = connection.nextObject(Duration.ofSeconds(5));
    long firstMillis = (System.nanoTime() - first) / 1_000_000;
    assertEquals("unavailable", firstLate.path("code").asText(), firstLate::toString);
    assertEquals("s1", firstLate.path("ref").asText(), "the oldest write expires first");
    assertTrue(firstMillis < WRITE_TIMEOUT.toMillis() + 300, "s1 at its own deadline, not the others': " + firstMillis + " ms");
    JsonNode thirdLate = connection.nextObject(Duration.ofSeconds(5));
    long thirdMillis = (System.nanoTime() - first) / 1_000_000;
    assertEquals("s3", thirdLate.path("ref").asText(), thirdLate::toString);
    assertTrue(thirdMillis >= WRITE_TIMEOUT.toMillis() + 350, "s3 waited its own full timeout: " + thirdMillis + " ms");

    third.replyTo().tell(new RoomActor.Acked("r1", "c3", 8, 0)); // too late: answered already
    connection.receive("{\"type\":\"ping\",\"ref\":\"p1\"}");
    JsonNode pong = connection.nextObject(Duration.ofSeconds(5));
    assertEquals("pong", pong.path("type").asText(), () -> "no second answer for s2 or s3, then the pong: " + pong);
  }
}
