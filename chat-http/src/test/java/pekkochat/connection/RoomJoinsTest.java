package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pekkochat.fanout.NodeRelay;
import pekkochat.http.Json;
import pekkochat.room.Role;
import pekkochat.room.RoomActor;

/** PROTOCOL.md section 4: every {@code join} with a {@code ref} gets its answer, however quickly it follows another. */
@Timeout(20)
class RoomJoinsTest {
  private static final ActorTestKit kit = TestConnection.kit();
  private static final Duration QUIET = Duration.ofMillis(700);

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  /**
   * Issue #13's fuzzing checklist, failed in FuzzIT: a join right behind another of the same room
   * took the first one's answer, and the first join's ref was never answered.
   */
  @Test
  void aSecondJoinOfTheSameRoomInFlightIsAnsweredWithItsOwnRef() throws Exception {
    TestProbe<RoomActor.Command> room = kit.createTestProbe();
    TestProbe<NodeRelay.Command> relay = kit.createTestProbe();
    TestConnection connection = TestConnection.start(kit, room, relay, Duration.ofSeconds(1));

    connection.receive("{\"type\":\"join\",\"room\":\"r1\",\"lastSeq\":0,\"ref\":\"j1\"}");
    connection.receive("{\"type\":\"join\",\"room\":\"r1\",\"ref\":\"j2\"}");
    // the room answers every subscribe it gets, in order, as a RoomActor does
    for (NodeRelay.Command subscribe : subscribes(relay)) answer((NodeRelay.Subscribe) subscribe);

    List<String> joinedRefs = new ArrayList<>();
    for (JsonNode frame : framesUntilQuiet(connection)) {
      if ("joined".equals(frame.path("type").asText())) joinedRefs.add(frame.path("ref").asText(null));
    }
    assertEquals(List.of("j1", "j2"), joinedRefs);
  }

  /** The relay's subscribes until it is quiet for a moment. */
  private static List<NodeRelay.Command> subscribes(TestProbe<NodeRelay.Command> relay) {
    List<NodeRelay.Command> received = new ArrayList<>(List.of(relay.receiveMessage()));
    while (true) {
      try {
        received.add(relay.receiveMessage(QUIET));
      } catch (AssertionError quiet) {
        return received;
      }
    }
  }

  private static void answer(NodeRelay.Subscribe subscribe) {
    subscribe.replyTo().tell(new RoomActor.Joined(
        "r1", 1, 1, List.of(new RoomActor.MemberView("alice", Role.OWNER)), Map.of(), null, true));
    subscribe.replyTo().tell(new RoomActor.CatchUp("r1", List.of(), true));
  }

  private static List<JsonNode> framesUntilQuiet(TestConnection connection) throws Exception {
    List<JsonNode> frames = new ArrayList<>();
    for (ByteString frame = connection.nextFrame(QUIET); frame != null; frame = connection.nextFrame(QUIET)) {
      for (String line : frame.utf8String().split("\n")) frames.add(Json.mapper().readTree(line));
    }
    return frames;
  }
}
