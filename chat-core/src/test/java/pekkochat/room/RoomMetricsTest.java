package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.room.InMemoryRoomIndex;
import pekkochat.testkit.room.InMemoryRoomStores;
import pekkochat.testkit.room.RoomTestKit;

/**
 * docs/metrics.md's room meters mean what they say: a failed journal write and a failed recovery
 * are counted by operation, and rooms alive goes back to what it was, never below, whichever way
 * a room ends (the drift of a failed recovery decrementing what it never incremented).
 */
class RoomMetricsTest {
  private static final ActorTestKit testKit = ActorTestKit.create(RoomTestKit.config());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
  private final InMemoryRoomStores stores = new InMemoryRoomStores();
  private final RoomMetrics metrics = new RoomMetrics(registry);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void resetJournal() {
    journal.resetPolicy();
  }

  private ActorRef<RoomActor.Command> spawn(String id) {
    return testKit.spawn(RoomActor.create(id, shard.ref(), new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, new InMemoryRoomIndex(),
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, metrics)));
  }

  private double alive() {
    return registry.get("chat.rooms.alive").gauge().value();
  }

  private double failures(String operation) {
    return registry.get("chat.journal.failures").tag("operation", operation).counter().count();
  }

  @Test
  void aFailedWriteIsCountedAndTheRoomThatRecoversIsCountedOnce() {
    ActorRef<RoomActor.Command> room = spawn("write-fails");
    TestProbe<RoomActor.CreateReply> owner = testKit.createTestProbe();
    room.tell(new RoomActor.Create("general", Visibility.PUBLIC, "alice", owner.ref()));
    owner.expectMessageClass(RoomActor.RoomView.class, TIMEOUT);
    assertEquals(1.0, alive());

    journal.failNextPersisted("Room|write-fails");
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    room.tell(new RoomActor.Send("alice", "c1", "hi", client.ref()));
    assertEquals(Refusal.UNAVAILABLE, assertInstanceOf(RoomActor.Rejected.class, client.receiveMessage(TIMEOUT)).refusal());
    // it backs off and recovers: the retry is acked by the same actor, counted alive once
    assertInstanceOf(RoomActor.Acked.class,
        RoomTestKit.retryUntilAnswered(client, () -> room.tell(new RoomActor.Send("alice", "c1", "hi", client.ref()))));

    assertEquals(1.0, failures("write"));
    assertEquals(0.0, failures("recovery"));
    assertEquals(1.0, alive(), "the restarted room is one room alive, not two");
    assertTrue(registry.get("chat.persist.latency").timer().count() >= 1, "the create's write was timed");
  }

  @Test
  void aFailedRecoveryIsCountedAndTheRoomIsAliveOnceItRecovers() {
    journal.failNextRead("Room|recovery-fails");
    ActorRef<RoomActor.Command> room = spawn("recovery-fails");
    // the first recovery fails; after the back-off the next one works and the room answers
    TestProbe<RoomActor.RoomReply> reader = testKit.createTestProbe();
    assertInstanceOf(RoomActor.Rejected.class,
        RoomTestKit.retryUntilAnswered(reader, () -> room.tell(new RoomActor.GetRoom("alice", reader.ref()))),
        "no such room: not_found");

    assertEquals(1.0, failures("recovery"));
    assertEquals(1.0, alive(), "counted once, after the recovery that worked: not 0, not 2");
  }
}
