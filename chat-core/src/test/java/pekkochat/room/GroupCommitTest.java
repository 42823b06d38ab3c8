package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.room.InMemoryRoomIndex;
import pekkochat.testkit.room.InMemoryRoomStores;
import pekkochat.testkit.room.RoomTestKit;

/**
 * Group commit (DESIGN.md rule 2): sends that arrive while a write is in flight go together in
 * the next write, each acked with its own seq only after that write; a failed write acks none of
 * its sends and answers each one {@code unavailable}.
 */
class GroupCommitTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(RoomTestKit.config());
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int SENDS = 300;
  private static final Duration SLOW_WRITE = Duration.ofMillis(300);

  private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
  private final InMemoryRoomStores stores = new InMemoryRoomStores();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void resetJournal() {
    journal.resetPolicy();
  }

  private RoomActor.Dependencies deps() {
    return new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, new InMemoryRoomIndex(),
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, new RoomMetrics(registry));
  }

  private ActorRef<RoomActor.Command> spawnRoom(String id) {
    ActorRef<RoomActor.Command> room = testKit.spawn(RoomActor.create(id, shard.ref(), deps()));
    TestProbe<RoomActor.CreateReply> owner = testKit.createTestProbe();
    room.tell(new RoomActor.Create("general", Visibility.PUBLIC, "alice", owner.ref()));
    owner.expectMessageClass(RoomActor.RoomView.class, TIMEOUT);
    return room;
  }

  private long writes() {
    return registry.timer("chat.persist.latency").count();
  }

  @Test
  void concurrentSendsShareWritesAndEachIsAckedWithItsOwnSeqInArrivalOrder() {
    ActorRef<RoomActor.Command> room = spawnRoom("batched");
    long writesBefore = writes();
    // the first send's write is slow, so that every other send arrives while it is in flight
    journal.withPolicy(slowFirstWrite());
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    for (int i = 0; i < SENDS; i++) room.tell(new RoomActor.Send("alice", "c" + i, "hi " + i, client.ref()));
    Map<String, Long> seqs = new HashMap<>();
    for (int i = 0; i < SENDS; i++) {
      var ack = assertInstanceOf(RoomActor.Acked.class, client.receiveMessage(TIMEOUT));
      seqs.put(ack.clientId(), ack.seq());
    }
    for (int i = 0; i < SENDS; i++) assertEquals(i + 2, seqs.get("c" + i), "seq follows arrival, with no gap");
    long sendWrites = writes() - writesBefore;
    int maxBatch = RoomTestKit.small().maxBatch();
    long batched = 1 + (SENDS - 1 + maxBatch - 1) / maxBatch;
    assertEquals(batched, sendWrites, "the first send alone, then the rest in full batches of " + maxBatch);
    assertEquals(SENDS + 1, journal.persistedInStorage("Room|batched").size(), "each send stored once");
    assertEquals(SENDS + 1.0, registry.counter("chat.messages.persisted").count());
  }

  @Test
  void aSendThatReachesTheRoomAfterItsDeadlineIsRefusedUnwrittenAndTheRetryIsStored() {
    ActorRef<RoomActor.Command> room = spawnRoom("expired");
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    long passed = System.currentTimeMillis() - 1;
    room.tell(new RoomActor.Send("alice", "late", "hi", client.ref(), passed));
    assertEquals(Refusal.UNAVAILABLE, assertInstanceOf(RoomActor.Rejected.class, client.receiveMessage(TIMEOUT)).refusal(),
        "the room answers it at once, so its asker's timeout need not");
    assertEquals(1, journal.persistedInStorage("Room|expired").size(), "only the room's creation is stored");
    assertEquals(1.0, registry.counter("chat.sends.expired").count());

    long inTime = System.currentTimeMillis() + TIMEOUT.toMillis();
    room.tell(new RoomActor.Send("alice", "late", "hi", client.ref(), inTime));
    assertEquals(2, assertInstanceOf(RoomActor.Acked.class, client.receiveMessage(TIMEOUT)).seq(),
        "the retry takes the next seq: the dropped send left no gap");
  }

  @Test
  void aRetryOfAWaitingSendIsStoredOnceAndAckedWithItsSeq() {
    ActorRef<RoomActor.Command> room = spawnRoom("retried");
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    for (int i = 0; i < 50; i++) room.tell(new RoomActor.Send("alice", "c" + i, "hi", client.ref()));
    room.tell(new RoomActor.Send("alice", "c49", "hi", client.ref()));
    List<Long> seqsOfLast = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      var ack = assertInstanceOf(RoomActor.Acked.class, client.receiveMessage(TIMEOUT));
      if (ack.clientId().equals("c49")) seqsOfLast.add(ack.seq());
    }
    assertEquals(List.of(51L, 51L), seqsOfLast);
    assertEquals(51, journal.persistedInStorage("Room|retried").size());
  }

  @Test
  void aFailedBatchAcksNoneOfItsSendsAndAnswersEachUnavailable() {
    ActorRef<RoomActor.Command> room = spawnRoom("failing");
    journal.withPolicy(slowSinglesFailedBatches());
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    for (int i = 0; i < 20; i++) room.tell(new RoomActor.Send("alice", "c" + i, "hi", client.ref()));
    // c0 goes alone and is stored; the sends that queued behind it go as one batch, which fails
    assertEquals(2, assertInstanceOf(RoomActor.Acked.class, client.receiveMessage(TIMEOUT)).seq());
    int refused = 0;
    for (Object reply : client.receiveSeveralMessages(19, TIMEOUT)) {
      var rejected = assertInstanceOf(RoomActor.Rejected.class, reply, "a send of the failed batch is never acked");
      assertEquals(Refusal.UNAVAILABLE, rejected.refusal());
      refused++;
    }
    assertEquals(19, refused);
    assertEquals(2, journal.persistedInStorage("Room|failing").size(), "nothing of the failed batch is stored");

    // the room recovers from the journal after its back-off; the client retries the same clientId
    journal.resetPolicy();
    // what arrives while it backs off may be dropped: the client retries, as a socket's does
    var ack = RoomTestKit.retryUntilAnswered(client, () -> room.tell(new RoomActor.Send("alice", "c1", "retry", client.ref())));
    assertEquals(3, assertInstanceOf(RoomActor.Acked.class, ack).seq(),
        "the sequence goes on from the last durable event, with no gap");
  }

  /** The journal takes its time over its next write, and none after. */
  private static ProcessingPolicy<JournalOperation> slowFirstWrite() {
    AtomicBoolean first = new AtomicBoolean(true);
    return (persistenceId, operation) -> {
      if (operation instanceof WriteEvents && first.getAndSet(false)) sleep(SLOW_WRITE);
      return ProcessingSuccess.getInstance();
    };
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The journal takes its time over a single-event write, so that the sends behind it queue up,
   * and refuses every write that holds more than one event: only batches fail.
   */
  private static ProcessingPolicy<JournalOperation> slowSinglesFailedBatches() {
    return (persistenceId, operation) -> {
      if (!(operation instanceof WriteEvents write)) return ProcessingSuccess.getInstance();
      if (write.getBatch().size() > 1) return StorageFailure.create(new IllegalStateException("this test fails batches"));
      sleep(SLOW_WRITE);
      return ProcessingSuccess.getInstance();
    };
  }
}
