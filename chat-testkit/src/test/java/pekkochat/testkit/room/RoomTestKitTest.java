package pekkochat.testkit.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomEvent;
import pekkochat.room.RoomMetrics;
import pekkochat.room.RoomSubscriber;
import pekkochat.room.Visibility;

/** The room helpers as docs/testing.md shows them: a room under the event-sourced testkit, driven with probes. */
class RoomTestKitTest {
  // #spawn-room
  private static final ActorTestKit testKit = ActorTestKit.create(RoomTestKit.config());

  private final InMemoryRoomIndex index = new InMemoryRoomIndex();
  private final InMemoryRoomStores stores = new InMemoryRoomStores();
  private final TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();

  // the state type is the room's own business: a test sees replies and events
  private EventSourcedBehaviorTestKit<RoomActor.Command, RoomEvent, ?> spawnRoom(String roomId) {
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, index,
        (room, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("history is not in this test")),
        stores, stores, new RoomMetrics(new SimpleMeterRegistry()));
    return EventSourcedBehaviorTestKit.create(
        testKit.system(), RoomActor.create(roomId, shard.ref(), deps), RoomTestKit.serializationSettings());
  }
  // #spawn-room

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aCreatedRoomIsIndexedAndEachSendTakesTheNextSeq() {
    // #create-and-send
    var room = spawnRoom("r1");
    var created = room.<RoomActor.CreateReply>runCommand(r -> new RoomActor.Create("general", Visibility.PUBLIC, "alice", r));
    assertEquals(1, assertInstanceOf(RoomActor.RoomView.class, created.reply()).head());
    assertEquals("alice", index.rooms.get("r1").owner());

    var sent = room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send("alice", "c-1", "hello", r));
    assertEquals(2, assertInstanceOf(RoomActor.Acked.class, sent.reply()).seq());
    assertEquals(1, sent.events().size(), "one event persisted");
    // #create-and-send
  }

  @Test
  void aJoinedConnectionsRelayGetsEachEventOnce() {
    var room = spawnRoom("r2");
    room.<RoomActor.CreateReply>runCommand(r -> new RoomActor.Create("general", Visibility.PUBLIC, "alice", r));
    // #drive-with-probes
    // the two refs a connection hands a room: its node's relay, and where the join answer goes
    TestProbe<RoomSubscriber> relay = testKit.createTestProbe();
    TestProbe<RoomActor.JoinReply> connection = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), connection.ref()));
    assertEquals(1, connection.expectMessageClass(RoomActor.Joined.class).head());
    relay.expectMessageClass(RoomSubscriber.Subscribed.class);

    room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send("alice", "c-1", "hello", r));
    RoomSubscriber.Event deliver = relay.expectMessageClass(RoomSubscriber.Event.class);
    assertEquals("r2#2:MessagePosted", deliver.event().json(), "RoomTestKit.ENCODER's text names the event");
    // #drive-with-probes
  }
}
