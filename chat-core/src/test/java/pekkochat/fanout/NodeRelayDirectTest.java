package pekkochat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pekkochat.room.EncodedEvent;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomSubscriber;
import pekkochat.testkit.room.RoomTestKit;

/**
 * The relay offers each live event to a subscriber's direct way in first, and tells the
 * subscriber's actor only what that refuses: one hand-off less per delivery, nothing lost.
 */
class NodeRelayDirectTest {
  private static final ActorTestKit kit = ActorTestKit.create(RoomTestKit.SERIALIZATION);
  /** A subscriber with no direct way in: every event goes to its actor. */
  private static final DirectFeed ALL_TO_THE_ACTOR = event -> false;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static EncodedEvent event(long seq) {
    return new EncodedEvent("r", seq, 0, "{\"seq\":" + seq + "}", null);
  }

  @Test
  void whatTheDirectWayTakesSkipsTheActorAndWhatItRefusesReachesIt() {
    TestProbe<RoomActor.Command> roomsTold = kit.createTestProbe();
    ActorRef<RoomSubscriber> relay = kit.spawn(NodeRelay.create(id -> roomsTold.ref(),
        user -> CompletableFuture.completedFuture(List.of())));
    TestProbe<RoomFeed> direct = kit.createTestProbe();
    TestProbe<RoomFeed> plain = kit.createTestProbe();
    List<Long> takenDirectly = new CopyOnWriteArrayList<>();
    // takes odd seqs only, so both paths are used
    DirectFeed oddOnly = e -> e.seq() % 2 == 1 && takenDirectly.add(e.seq());
    ActorRef<RoomActor.JoinReply> ignored = kit.spawn(Behaviors.ignore());
    relay.tell(new NodeRelay.Subscribe("r", "bo", null, direct.ref(), ignored, oddOnly));
    relay.tell(new NodeRelay.Subscribe("r", "cy", null, plain.ref(), ignored, ALL_TO_THE_ACTOR));
    roomsTold.expectMessageClass(RoomActor.Join.class);
    roomsTold.expectMessageClass(RoomActor.Join.class);

    for (long seq = 1; seq <= 4; seq++) relay.tell(new RoomSubscriber.Event(event(seq)));

    assertEquals(2, ((RoomFeed.Event) direct.receiveMessage()).event().seq());
    assertEquals(4, ((RoomFeed.Event) direct.receiveMessage()).event().seq());
    direct.expectNoMessage(Duration.ofMillis(200));
    assertEquals(List.of(1L, 3L), takenDirectly);
    for (long seq = 1; seq <= 4; seq++) {
      assertEquals(seq, ((RoomFeed.Event) plain.receiveMessage()).event().seq(), "a subscriber with no direct way gets all");
    }
  }
}
