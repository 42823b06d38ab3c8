package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.room.InMemoryRoomIndex;
import pekkochat.testkit.room.InMemoryRoomStores;
import pekkochat.testkit.room.RoomTestKit;

class RoomActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(RoomTestKit.config());

  private final InMemoryRoomIndex index = new InMemoryRoomIndex();
  private final InMemoryRoomStores stores = new InMemoryRoomStores();
  private final TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
  private final TestProbe<RoomSubscriber> relay = testKit.createTestProbe();
  private EventSourcedBehaviorTestKit<RoomActor.Command, RoomEvent, RoomState> room;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, index,
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, new RoomMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    room = EventSourcedBehaviorTestKit.create(
        testKit.system(),
        RoomActor.create("r1", shard.ref(), deps),
        RoomTestKit.serializationSettings());
  }

  private RoomActor.RoomView create(Visibility visibility) {
    var result = room.<RoomActor.CreateReply>runCommand(r -> new RoomActor.Create("general", visibility, "alice", r));
    return assertInstanceOf(RoomActor.RoomView.class, result.reply());
  }

  private RoomActor.SendReply send(String user, String clientId) {
    return room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send(user, clientId, "hi " + clientId, r)).reply();
  }

  private long ackedSeq(String user, String clientId) {
    return assertInstanceOf(RoomActor.Acked.class, send(user, clientId)).seq();
  }

  @Test
  void creationIsSeqOneAndEachSendTakesTheNextSeq() {
    RoomActor.RoomView view = create(Visibility.PUBLIC);
    assertEquals(1, view.head());
    assertEquals(Role.OWNER, view.callerRole());
    assertEquals("alice", index.rooms.get("r1").owner());
    for (int i = 0; i < 20; i++) assertEquals(i + 2, ackedSeq("alice", "c" + i));
    assertEquals(21, room.getState().head());
  }

  @Test
  void aRetriedSendIsStoredOnceAndAckedWithTheFirstSeq() {
    create(Visibility.PUBLIC);
    var first = room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send("alice", "same", "hello", r));
    assertEquals(1, first.events().size());
    var retry = room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send("alice", "same", "hello", r));
    assertTrue(retry.hasNoEvents(), "a retry persists nothing");
    assertEquals(first.reply(), retry.reply());
    // another user's same clientId is their own message
    room.runCommand(new RoomActor.Join("bob", null, relay.ref(), testKit.<RoomActor.JoinReply>createTestProbe().ref()));
    assertEquals(4, ackedSeq("bob", "same"));
  }

  @Test
  void theAckLeavesOnlyAfterTheJournalConfirmed() {
    // spawned directly: the testkit's runCommand reads the state, which a restarting room cannot answer
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, index,
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, new RoomMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    var failing = testKit.spawn(RoomActor.create("r-failing", shard.ref(), deps));
    TestProbe<RoomActor.CreateReply> owner = testKit.createTestProbe();
    failing.tell(new RoomActor.Create("general", Visibility.PUBLIC, "alice", owner.ref()));
    owner.expectMessageClass(RoomActor.RoomView.class);

    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.expectNextPersistedClass("Room|r-failing", RoomEvent.RoomCreated.class);
    journal.failNextPersisted();
    TestProbe<RoomActor.SendReply> client = testKit.createTestProbe();
    failing.tell(new RoomActor.Send("alice", "c1", "lost?", client.ref()));
    // no ack: the failed write answers its send unavailable at once, and the room backs off
    assertEquals(Refusal.UNAVAILABLE, client.expectMessageClass(RoomActor.Rejected.class).refusal());
    journal.expectNothingPersisted("Room|r-failing");

    // the same actor recovers after its back-off and takes the client's retry of the same clientId
    var restarted = failing;
    var ack = RoomTestKit.retryUntilAnswered(client, () -> restarted.tell(new RoomActor.Send("alice", "c1", "retry", client.ref())));
    assertEquals(2, assertInstanceOf(RoomActor.Acked.class, ack).seq());
    restarted.tell(new RoomActor.Send("alice", "c1", "again", client.ref()));
    assertEquals(2, client.expectMessageClass(RoomActor.Acked.class).seq());
    var stored = journal.persistedInStorage("Room|r-failing");
    assertEquals(2, stored.size(), "created, then the retried message once");
    assertInstanceOf(RoomEvent.MessagePosted.class, stored.get(1));
  }

  @Test
  void snapshotsAndRecoveryKeepSeqMembersWindowAndDedup() {
    create(Visibility.PUBLIC);
    for (int i = 0; i < 12; i++) ackedSeq("alice", "c" + i); // snapshots at seq 5 and 10
    var restarted = room.restart();
    RoomState state = restarted.state();
    assertEquals(13, state.head());
    assertEquals(Role.OWNER, state.roleOf("alice").orElseThrow());
    assertEquals(10, state.recent().size());
    assertEquals(4, state.recent().firstSeq());
    assertEquals(12, ackedSeq("alice", "c10"), "dedup survives recovery");
    assertEquals(14, ackedSeq("alice", "new"), "the sequence continues without a gap");
  }

  @Test
  void windowsAreBounded() {
    create(Visibility.PUBLIC);
    for (int i = 0; i < 30; i++) ackedSeq("alice", "c" + i);
    assertEquals(10, room.getState().recent().size());
    assertEquals(3, room.getState().dedup().size());
    // c0 fell out of the 3-entry dedup window: a resend is a new message
    assertEquals(32, ackedSeq("alice", "c0"));
    // c29 is still remembered
    assertEquals(31, ackedSeq("alice", "c29"));
  }

  @Test
  void joinCatchesUpTheDefaultOrAfterLastSeqWithinTheMaximum() {
    create(Visibility.PUBLIC);
    for (int i = 0; i < 30; i++) ackedSeq("alice", "c" + i); // head 31
    assertEquals(List.of(27L, 28L, 29L, 30L, 31L), joinSeqs(null, 27));
    assertEquals(List.of(30L, 31L), joinSeqs(29L, 30));
    // older than the newest catch-up-max (10): only the newest 10, firstSeq tells the client
    assertEquals(10, joinSeqs(0L, 22).size());
    assertEquals(List.of(), joinSeqs(31L, 32));
  }

  /**
   * Issue #13's fuzzing checklist: lastSeq + 1 overflowed for Long.MAX_VALUE, so a client
   * ahead of the room got the oldest catch-up instead of none, unlike one at Long.MAX_VALUE - 1.
   */
  @Test
  void aLastSeqAheadOfTheRoomCatchesUpNothingEvenAtLongMax() {
    create(Visibility.PUBLIC);
    for (int i = 0; i < 30; i++) ackedSeq("alice", "c" + i); // head 31
    assertEquals(List.of(), joinSeqs(Long.MAX_VALUE - 1, 32));
    assertEquals(List.of(), joinSeqs(Long.MAX_VALUE, 32));
  }

  private List<Long> joinSeqs(Long lastSeq, long expectedFirstSeq) {
    TestProbe<RoomActor.JoinReply> client = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", lastSeq, relay.ref(), client.ref()));
    var joined = client.expectMessageClass(RoomActor.Joined.class);
    assertEquals(31, joined.head());
    assertEquals(expectedFirstSeq, joined.firstSeq());
    relay.expectMessageClass(RoomSubscriber.Subscribed.class);
    List<Long> seqs = new ArrayList<>();
    while (true) {
      var chunk = client.expectMessageClass(RoomActor.CatchUp.class);
      assertTrue(chunk.events().stream().mapToInt(e -> e.utf8().size()).sum() <= RoomTestKit.SMALL_REPLY_BYTES,
          "catch-up comes in chunks bounded by max-reply-bytes");
      for (EncodedEvent e : chunk.events()) seqs.add(e.seq());
      if (chunk.last()) return seqs;
    }
  }

  @Test
  void aBigRoomsJoinedComesInPartsThatFitTheBudgetBeforeTheCatchUp() {
    create(Visibility.PUBLIC);
    TestProbe<RoomActor.JoinReply> others = testKit.createTestProbe();
    for (int i = 0; i < 300; i++) room.runCommand(new RoomActor.Join("member-" + i, null, relay.ref(), others.ref()));
    TestProbe<RoomActor.JoinReply> client = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), client.ref()));

    var joined = client.expectMessageClass(RoomActor.Joined.class);
    assertTrue(!joined.complete(), "301 members do not fit one reply of " + RoomTestKit.SMALL_REPLY_BYTES + " bytes");
    java.util.Set<String> members = new java.util.HashSet<>();
    joined.members().forEach(m -> members.add(m.user()));
    int parts = 1;
    RoomActor.JoinReply next;
    while ((next = client.receiveMessage()) instanceof RoomActor.JoinedMembers part) {
      parts++;
      int bytes = part.members().stream().mapToInt(m -> m.user().length() + 32).sum();
      assertTrue(bytes <= RoomTestKit.SMALL_REPLY_BYTES, "part of " + bytes + " bytes");
      part.members().forEach(m -> members.add(m.user()));
      joined = joined.plus(part);
      if (part.last()) break;
    }
    assertTrue(joined.complete() && parts > 2, parts + " parts");
    assertEquals(301, members.size(), "every member, once");
    assertEquals(301, joined.members().size());
    assertInstanceOf(RoomActor.CatchUp.class, client.receiveMessage(), "the catch-up follows the last part");
  }

  @Test
  void aBigRoomsViewLeavesItsMembersToTheDirectory() {
    create(Visibility.PUBLIC);
    var small = room.<RoomActor.RoomReply>runCommand(r -> new RoomActor.GetRoom("alice", r)).reply();
    assertEquals(1, assertInstanceOf(RoomActor.RoomView.class, small).members().size());
    TestProbe<RoomActor.JoinReply> others = testKit.createTestProbe();
    for (int i = 0; i < 300; i++) room.runCommand(new RoomActor.Join("member-" + i, null, relay.ref(), others.ref()));
    var big = assertInstanceOf(RoomActor.RoomView.class,
        room.<RoomActor.RoomReply>runCommand(r -> new RoomActor.GetRoom("alice", r)).reply());
    assertEquals(null, big.members(), "301 members do not fit one reply: REST reads them from the directory");
    assertEquals(Role.OWNER, big.callerRole());
  }

  @Test
  void eventsGoOnceToEachSubscribedRelay() {
    create(Visibility.PUBLIC);
    TestProbe<RoomActor.JoinReply> a = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), a.ref()));
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), a.ref()));
    relay.expectMessageClass(RoomSubscriber.Subscribed.class);
    relay.expectMessageClass(RoomSubscriber.Subscribed.class);
    ackedSeq("alice", "x");
    var deliver = relay.expectMessageClass(RoomSubscriber.Event.class);
    assertEquals(2, deliver.event().seq());
    relay.expectNoMessage(Duration.ofMillis(100));
    room.runCommand(new RoomActor.RemoveRelay(relay.ref()));
    ackedSeq("alice", "y");
    relay.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aPublicRoomAdmitsAJoinerWithAMemberEventAndAPrivateOneRefuses() {
    create(Visibility.PUBLIC);
    TestProbe<RoomActor.JoinReply> bob = testKit.createTestProbe();
    var result = room.runCommand(new RoomActor.Join("bob", null, relay.ref(), bob.ref()));
    var event = assertInstanceOf(RoomEvent.MemberChanged.class, result.event());
    assertEquals(RoomEvent.MemberAction.JOINED, event.action());
    assertEquals(Role.MEMBER, index.members.get("r1").get("bob"));
    assertEquals(2, bob.expectMessageClass(RoomActor.Joined.class).head());
    assertEquals(3, ackedSeq("bob", "b1"));
  }

  @Test
  void aPrivateRoomRefusesNonMembersAndChangesNothing() {
    create(Visibility.PRIVATE);
    TestProbe<RoomActor.JoinReply> mallory = testKit.createTestProbe();
    var result = room.runCommand(new RoomActor.Join("mallory", null, relay.ref(), mallory.ref()));
    assertTrue(result.hasNoEvents());
    assertEquals(Refusal.FORBIDDEN, mallory.expectMessageClass(RoomActor.JoinRefused.class).refusal());
    assertEquals(Refusal.FORBIDDEN, assertInstanceOf(RoomActor.Rejected.class, send("mallory", "m")).refusal());
    var history = room.<RoomActor.HistoryReply>runCommand(r -> new RoomActor.GetHistory("mallory", null, null, r));
    assertEquals(Refusal.FORBIDDEN, assertInstanceOf(RoomActor.Rejected.class, history.reply()).refusal());
    assertEquals(1, room.getState().head());
  }

  @Test
  void anUnknownRoomAnswersNotFoundStoresNothingAndPassivates() {
    var reply = send("alice", "c");
    assertEquals(Refusal.NOT_FOUND, assertInstanceOf(RoomActor.Rejected.class, reply).refusal());
    assertEquals(0, room.getState().head());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
  }

  @Test
  void aJoinOfAnUnknownRoomStopsItOnceTheRelayIsGoneSoItsWordStartsNoSecondRoom() {
    TestProbe<RoomActor.JoinReply> joiner = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), joiner.ref()));
    assertEquals(Refusal.NOT_FOUND, joiner.expectMessageClass(RoomActor.JoinRefused.class).refusal());
    shard.expectNoMessage(java.time.Duration.ofMillis(300)); // still here for the relay's RemoveRelay
    room.runCommand(new RoomActor.RemoveRelay(relay.ref()));
    shard.expectMessageClass(ClusterSharding.Passivate.class);
    assertEquals(0, room.getState().head());
  }

  @Test
  void aJoinOfAnUnknownRoomWhoseRelayNeverSpeaksStopsAfterTheLinger() {
    TestProbe<RoomActor.JoinReply> joiner = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("alice", null, relay.ref(), joiner.ref()));
    joiner.expectMessageClass(RoomActor.JoinRefused.class);
    // RoomTestKit.small(): a linger of 1 s, against a passivate-after of 10 minutes
    shard.expectMessageClass(ClusterSharding.Passivate.class, java.time.Duration.ofSeconds(3));
  }

  @Test
  void historyPagesFromTheWindowAreAscendingAndBounded() {
    create(Visibility.PUBLIC);
    for (int i = 0; i < 12; i++) ackedSeq("alice", "c" + i); // head 13, window 4..13
    var page = assertInstanceOf(RoomActor.HistoryPage.class,
        room.<RoomActor.HistoryReply>runCommand(r -> new RoomActor.GetHistory("alice", 13L, 3, r)).reply());
    assertEquals(List.of("r1#10:MessagePosted", "r1#11:MessagePosted", "r1#12:MessagePosted"), page.events());
    var capped = assertInstanceOf(RoomActor.HistoryPage.class,
        room.<RoomActor.HistoryReply>runCommand(r -> new RoomActor.GetHistory("alice", null, 500, r)).reply());
    assertEquals(8, capped.events().size(), "limit is capped at history-max-limit");
    assertEquals("r1#13:MessagePosted", capped.events().get(7));
  }
}
