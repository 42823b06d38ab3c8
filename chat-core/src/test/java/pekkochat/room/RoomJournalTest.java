package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static pekkochat.storage.TestDatabases.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.storage.Database;
import pekkochat.storage.DirectoryRoomIndex;
import pekkochat.storage.InviteStore;
import pekkochat.storage.JournalHistory;
import pekkochat.storage.ReadMarkStore;
import pekkochat.storage.RoomDirectory;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;
import pekkochat.storage.TestDatabases;
import pekkochat.testkit.room.RoomTestKit;

/**
 * The room on the real journal (embedded H2 and PostgreSQL): seqs, snapshots, recovery in a new
 * actor system, history beyond the window from the journal, and the rooms directory kept current.
 */
class RoomJournalTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aRoomKeepsItsSequenceHistoryAndDedupAcrossRestarts(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory directory = new RoomDirectory(test.database());

      ActorTestKit first = start("first", test);
      try {
        ActorRef<RoomActor.Command> room = spawnRoom(first, directory, test.database());
        TestProbe<RoomActor.CreateReply> owner = first.createTestProbe();
        room.tell(new RoomActor.Create("general", Visibility.PUBLIC, "alice", owner.ref()));
        owner.expectMessageClass(RoomActor.RoomView.class, TIMEOUT);
        for (int i = 0; i < 30; i++) assertEquals(i + 2, send(first, room, "c" + i));
        assertEquals(31, await(directory.find("r1", "alice")).orElseThrow().seq(), "the listing reads the head from the journal");

        // before=5 lies outside the 10-event window (22..31): read from the journal
        assertEquals(List.of("r1#2:MessagePosted", "r1#3:MessagePosted", "r1#4:MessagePosted"), history(first, room, 5L, 3));
      } finally {
        first.shutdownTestKit();
      }

      ActorTestKit second = start("second", test);
      try {
        ActorRef<RoomActor.Command> room = spawnRoom(second, directory, test.database());
        assertEquals(31, send(second, room, "c29"), "a retry after the restart is acked with its first seq");
        assertEquals(32, send(second, room, "after-restart"), "the sequence continues without a gap");
        assertEquals(List.of(27L, 28L, 29L, 30L, 31L, 32L), join(second, room, 26L));
        assertEquals(List.of("r1#1:RoomCreated", "r1#2:MessagePosted"), history(second, room, 3L, 50));
      } finally {
        second.shutdownTestKit();
      }
    }
  }

  private static ActorTestKit start(String name, TestDatabase test) {
    return ActorTestKit.create(name, RoomTestKit.SERIALIZATION.withFallback(TestDatabases.journalConfig(test.settings())));
  }

  private static ActorRef<RoomActor.Command> spawnRoom(ActorTestKit kit, RoomDirectory directory, Database database) {
    TestProbe<ClusterSharding.ShardCommand> shard = kit.createTestProbe();
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, new DirectoryRoomIndex(directory),
        new JournalHistory(kit.system()), new ReadMarkStore(database), new InviteStore(database),
        new RoomMetrics(new SimpleMeterRegistry()));
    return kit.spawn(RoomActor.create("r1", shard.ref(), deps));
  }

  private static long send(ActorTestKit kit, ActorRef<RoomActor.Command> room, String clientId) {
    TestProbe<RoomActor.SendReply> client = kit.createTestProbe();
    room.tell(new RoomActor.Send("alice", clientId, "text " + clientId, client.ref()));
    return assertInstanceOf(RoomActor.Acked.class, client.receiveMessage(TIMEOUT)).seq();
  }

  private static List<String> history(ActorTestKit kit, ActorRef<RoomActor.Command> room, Long before, int limit) {
    TestProbe<RoomActor.HistoryReply> client = kit.createTestProbe();
    room.tell(new RoomActor.GetHistory("alice", before, limit, client.ref()));
    return assertInstanceOf(RoomActor.HistoryPage.class, client.receiveMessage(TIMEOUT)).events();
  }

  private static List<Long> join(ActorTestKit kit, ActorRef<RoomActor.Command> room, Long lastSeq) {
    TestProbe<RoomActor.JoinReply> client = kit.createTestProbe();
    TestProbe<RoomSubscriber> relay = kit.createTestProbe();
    room.tell(new RoomActor.Join("alice", lastSeq, relay.ref(), client.ref()));
    client.expectMessageClass(RoomActor.Joined.class, TIMEOUT);
    List<Long> seqs = new ArrayList<>();
    for (boolean last = false; !last; ) {
      var chunk = client.expectMessageClass(RoomActor.CatchUp.class, TIMEOUT);
      for (EncodedEvent e : chunk.events()) seqs.add(e.seq());
      last = chunk.last();
    }
    return seqs;
  }
}
