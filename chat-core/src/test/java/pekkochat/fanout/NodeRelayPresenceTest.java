package pekkochat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomSubscriber;
import pekkochat.testkit.room.RoomTestKit;

/**
 * A presence change reaches each local socket in a room of the user once, through the relay alone:
 * no room is told, so none wakes (DESIGN.md rule 10).
 */
class NodeRelayPresenceTest {
  private static final ActorTestKit kit = ActorTestKit.create(RoomTestKit.SERIALIZATION);
  /** A subscriber with no direct way in: every event goes to its actor. */
  private static final DirectFeed ALL_TO_THE_ACTOR = event -> false;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aChangeGoesOnceToEachSocketInARoomOfTheUserAndToNoRoom() {
    TestProbe<RoomActor.Command> roomsTold = kit.createTestProbe();
    MemberRooms memberRooms = user -> CompletableFuture.completedFuture(
        user.equals("ann") ? List.of("r1", "r2", "r-unjoined") : List.of());
    ActorRef<RoomSubscriber> relay = kit.spawn(NodeRelay.create(id -> roomsTold.ref(), memberRooms));
    TestProbe<RoomFeed> inBoth = kit.createTestProbe();
    TestProbe<RoomFeed> inOther = kit.createTestProbe();
    ActorRef<RoomActor.JoinReply> ignored = kit.spawn(Behaviors.ignore());
    relay.tell(new NodeRelay.Subscribe("r1", "bo", null, inBoth.ref(), ignored, ALL_TO_THE_ACTOR));
    relay.tell(new NodeRelay.Subscribe("r2", "bo", null, inBoth.ref(), ignored, ALL_TO_THE_ACTOR));
    relay.tell(new NodeRelay.Subscribe("r3", "cy", null, inOther.ref(), ignored, ALL_TO_THE_ACTOR));
    for (int i = 0; i < 3; i++) roomsTold.expectMessageClass(RoomActor.Join.class);

    relay.tell(new NodeRelay.PresenceChanged("ann", "ann-away"));
    RoomFeed.Ephemeral frame = inBoth.expectMessageClass(RoomFeed.Ephemeral.class);
    assertEquals("ann-away", frame.json());
    assertEquals("presence:ann", frame.collapseKey());
    inBoth.expectNoMessage(Duration.ofMillis(200));
    inOther.expectNoMessage(Duration.ZERO);
    roomsTold.expectNoMessage(Duration.ZERO);

    relay.tell(new NodeRelay.PresenceChanged("nobody-here", "x"));
    inBoth.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aFailedLookupDeliversNothing() {
    TestProbe<RoomActor.Command> roomsTold = kit.createTestProbe();
    ActorRef<RoomSubscriber> relay = kit.spawn(NodeRelay.create(id -> roomsTold.ref(),
        user -> CompletableFuture.failedFuture(new IllegalStateException("database down"))));
    TestProbe<RoomFeed> socket = kit.createTestProbe();
    relay.tell(new NodeRelay.Subscribe("r1", "bo", null, socket.ref(), kit.spawn(Behaviors.ignore()), ALL_TO_THE_ACTOR));
    relay.tell(new NodeRelay.PresenceChanged("ann", "ann-away"));
    socket.expectNoMessage(Duration.ofMillis(300));
  }
}
