package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pekkochat.testkit.room.InMemoryRoomIndex;
import pekkochat.testkit.room.InMemoryRoomStores;
import pekkochat.testkit.room.RoomTestKit;

/** Edits, deletes, typing, read marks and invites in one room. */
class RoomActivityTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(RoomTestKit.config());

  private final InMemoryRoomStores stores = new InMemoryRoomStores();
  private final TestProbe<RoomSubscriber> relay = testKit.createTestProbe();
  private EventSourcedBehaviorTestKit<RoomActor.Command, RoomEvent, RoomState> room;
  private long message; // seq of mia's message

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, new InMemoryRoomIndex(),
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, new RoomMetrics(new SimpleMeterRegistry()));
    room = EventSourcedBehaviorTestKit.create(
        testKit.system(), RoomActor.create("r-" + UUID.randomUUID(), shard.ref(), deps),
        RoomTestKit.serializationSettings());
    room.<RoomActor.CreateReply>runCommand(r -> new RoomActor.Create("room", Visibility.PUBLIC, "olga", r));
    for (String user : new String[] {"adam", "mia", "max"}) {
      room.runCommand(new RoomActor.Admit(user, testKit.<RoomActor.RoomReply>createTestProbe().ref()));
    }
    room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.SetRole("olga", "adam", Role.ADMIN, r));
    var sent = room.<RoomActor.SendReply>runCommand(r -> new RoomActor.Send("mia", "m1", "hello", r));
    message = assertInstanceOf(RoomActor.Acked.class, sent.reply()).seq();
  }

  private RoomActor.ChangeReply edit(String user, long target) {
    return room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Edit(user, target, "changed", r)).reply();
  }

  private RoomActor.ChangeReply delete(String user, long target) {
    return room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Delete(user, target, r)).reply();
  }

  @ParameterizedTest(name = "{0}: edit {1}, delete {2}")
  @CsvSource({"mia,ok,ok", "max,FORBIDDEN,FORBIDDEN", "adam,FORBIDDEN,ok", "olga,FORBIDDEN,ok", "nick,FORBIDDEN,FORBIDDEN"})
  void editIsTheAuthorsAndDeleteAlsoAdminsAndTheOwners(String user, String edit, String delete) {
    long head = room.getState().head();
    assertOutcome(edit, edit(user, message), head + 1);
    long afterEdit = room.getState().head();
    assertOutcome(delete, delete(user, message), afterEdit + 1);
  }

  private void assertOutcome(String expected, RoomActor.ChangeReply reply, long seqIfAllowed) {
    if (expected.equals("ok")) {
      assertEquals(seqIfAllowed, assertInstanceOf(RoomActor.Applied.class, reply).seq());
    } else {
      assertEquals(Refusal.valueOf(expected), assertInstanceOf(RoomActor.Rejected.class, reply).refusal());
      assertEquals(seqIfAllowed - 1, room.getState().head(), "a refusal persists nothing");
    }
  }

  @Test
  void aMissingNonMessageOrDeletedTargetIsNotFound() {
    assertEquals(Refusal.NOT_FOUND, assertInstanceOf(RoomActor.Rejected.class, edit("mia", 999)).refusal());
    assertEquals(Refusal.NOT_FOUND, assertInstanceOf(RoomActor.Rejected.class, edit("olga", 1)).refusal(),
        "seq 1 is the room's creation, not a message");
    assertInstanceOf(RoomActor.Applied.class, delete("mia", message));
    assertEquals(Refusal.NOT_FOUND, assertInstanceOf(RoomActor.Rejected.class, delete("olga", message)).refusal(),
        "another's delete of a deleted message is no retry");
    assertEquals(Refusal.NOT_FOUND, assertInstanceOf(RoomActor.Rejected.class, edit("mia", message)).refusal());
    assertTrue(room.restart().state().isDeleted(message), "deletions survive recovery");
  }

  private RoomActor.ChangeReply edit(String user, long target, String text) {
    return room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Edit(user, target, text, r)).reply();
  }

  @Test
  void aRetriedEditIsStoredOnceAndAnsweredWithTheFirstSeq() {
    long first = assertInstanceOf(RoomActor.Applied.class, edit("mia", message, "fixed typo")).seq();
    var retry = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Edit("mia", message, "fixed typo", r));
    assertEquals(first, assertInstanceOf(RoomActor.Applied.class, retry.reply()).seq());
    assertEquals(0, retry.events().size(), "the retry stores nothing");
    long other = assertInstanceOf(RoomActor.Applied.class, edit("mia", message, "another text")).seq();
    assertEquals(first + 1, other, "an edit to another text is a new change");
    assertEquals(other + 1, assertInstanceOf(RoomActor.Applied.class, edit("mia", message, "fixed typo")).seq(),
        "going back to an earlier text is a change too: only the newest edit is retried");
    room.restart();
    long head = room.getState().head();
    assertEquals(head, assertInstanceOf(RoomActor.Applied.class, edit("mia", message, "fixed typo")).seq(),
        "after recovery the retry is still found");
    assertEquals(head, room.getState().head());
  }

  @Test
  void aRetriedDeleteIsStoredOnceAndAnsweredWithTheFirstSeq() {
    var first = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Delete("mia", message, r));
    long seq = assertInstanceOf(RoomActor.Applied.class, first.reply()).seq();
    var retry = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.Delete("mia", message, r));
    var retried = assertInstanceOf(RoomActor.Applied.class, retry.reply());
    assertEquals(seq, retried.seq());
    assertEquals(assertInstanceOf(RoomActor.Applied.class, first.reply()).ts(), retried.ts());
    assertEquals(0, retry.events().size(), "the retry stores nothing");
    assertEquals(seq, room.getState().head());
  }

  private void subscribeRelay() {
    room.runCommand(new RoomActor.Join("olga", null, relay.ref(), testKit.<RoomActor.JoinReply>createTestProbe().ref()));
    relay.expectMessageClass(RoomSubscriber.Subscribed.class);
  }

  @Test
  void typingGoesToOthersAtMostOnceASecondAndIsNotStored() {
    subscribeRelay();
    long head = room.getState().head();
    room.runCommand(new RoomActor.Typing("mia"));
    var typing = relay.expectMessageClass(RoomSubscriber.Ephemeral.class);
    assertEquals("mia", typing.exceptUser(), "never back to the typist");
    room.runCommand(new RoomActor.Typing("mia"));
    relay.expectNoMessage(Duration.ofMillis(200));
    room.runCommand(new RoomActor.Typing("nick"));
    relay.expectNoMessage(Duration.ofMillis(100));
    assertEquals(head, room.getState().head());
  }

  @Test
  void readMarksOnlyMoveForwardAndComeWithJoined() {
    subscribeRelay();
    var read = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.MarkRead("max", message, r));
    assertEquals(message, assertInstanceOf(RoomActor.Applied.class, read.reply()).seq());
    assertEquals("read:" + relay.expectMessageClass(RoomSubscriber.Ephemeral.class).room() + ":max:" + message,
        "read:" + room.getState().info().id() + ":max:" + message);
    var back = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.MarkRead("max", 2, r));
    assertEquals(message, assertInstanceOf(RoomActor.Applied.class, back.reply()).seq(), "the mark does not go back");
    relay.expectNoMessage(Duration.ofMillis(100));
    assertEquals(message, stores.marks.get("max"));
    var beyond = room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.MarkRead("max", 999, r));
    assertEquals(Refusal.BAD_REQUEST, assertInstanceOf(RoomActor.Rejected.class, beyond.reply()).refusal());

    TestProbe<RoomActor.JoinReply> joiner = testKit.createTestProbe();
    room.runCommand(new RoomActor.Join("mia", null, relay.ref(), joiner.ref()));
    assertEquals(message, joiner.expectMessageClass(RoomActor.Joined.class).reads().get("max"));
  }

  @Test
  void invitesAreForOwnersAndAdminsAndAdmitNewMembers() {
    var refused = room.<RoomActor.InviteReply>runCommand(r -> new RoomActor.CreateInvite("max", null, null, r));
    assertEquals(Refusal.FORBIDDEN, assertInstanceOf(RoomActor.Rejected.class, refused.reply()).refusal());
    var created = assertInstanceOf(RoomActor.InviteCreated.class,
        room.<RoomActor.InviteReply>runCommand(r -> new RoomActor.CreateInvite("adam", 60L, 2, r)).reply());
    assertTrue(created.code().length() >= 22, "at least 128 random bits");
    assertEquals(room.getState().info().id(), stores.invites.get(InviteCodes.hash(created.code())));
    var admitted = room.<RoomActor.RoomReply>runCommand(r -> new RoomActor.Admit("nick", r));
    assertEquals(Role.MEMBER, assertInstanceOf(RoomActor.RoomView.class, admitted.reply()).callerRole());
    assertInstanceOf(RoomEvent.MemberChanged.class, admitted.event());
    var revoked = room.<RoomActor.InviteReply>runCommand(r -> new RoomActor.RevokeInvite("olga", InviteCodes.hash(created.code()), r));
    assertInstanceOf(RoomActor.InviteRevoked.class, revoked.reply());
  }
}
