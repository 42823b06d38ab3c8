package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pekkochat.testkit.room.InMemoryRoomIndex;
import pekkochat.testkit.room.InMemoryRoomStores;
import pekkochat.testkit.room.RoomTestKit;

/**
 * Every (actor role, action, target role) of PROTOCOL.md's membership rules: allowed ones
 * persist one {@code member} event, refused ones answer the refusal and persist nothing.
 */
class RoomRoleRulesTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(RoomTestKit.config());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Who holds which role in the room each case starts from; two of each role but owner. */
  enum As {
    OWNER("olga", "olga"), ADMIN("adam", "ada"), MEMBER("mia", "max"), OUTSIDER("nick", "nora");

    final String actor;
    final String target;

    As(String actor, String target) {
      this.actor = actor;
      this.target = target;
    }
  }

  enum Action { MAKE_ADMIN, MAKE_MEMBER, REMOVE, LEAVE }

  /** null = allowed. */
  private static Refusal expected(As actor, Action action, As target) {
    return switch (action) {
      case MAKE_ADMIN, MAKE_MEMBER -> {
        if (actor != As.OWNER) yield Refusal.FORBIDDEN;
        if (target == As.OUTSIDER) yield Refusal.NOT_FOUND;
        if (target == As.OWNER) yield Refusal.BAD_REQUEST;
        yield null;
      }
      case REMOVE -> {
        if (actor == As.OUTSIDER) yield Refusal.FORBIDDEN;
        if (target == As.OUTSIDER) yield Refusal.NOT_FOUND;
        if (actor == As.OWNER && target == As.OWNER) yield Refusal.FORBIDDEN; // the owner cannot leave
        if (actor == As.OWNER) yield null;
        if (actor == As.ADMIN && target == As.MEMBER) yield null;
        yield Refusal.FORBIDDEN;
      }
      case LEAVE -> actor == As.OWNER || actor == As.OUTSIDER ? Refusal.FORBIDDEN : null;
    };
  }

  static Stream<Arguments> cases() {
    return Stream.of(As.values()).flatMap(actor -> Stream.of(Action.values()).flatMap(action ->
        action == Action.LEAVE
            ? Stream.of(Arguments.of(actor, action, actor))
            : Stream.of(As.values()).map(target -> Arguments.of(actor, action, target))));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void roleRules(As actor, Action action, As target) {
    var room = roomWithEveryRole();
    long headBefore = room.getState().head();
    String targetName = action == Action.LEAVE ? actor.actor : target.target;
    Function<ActorRef<RoomActor.ChangeReply>, RoomActor.Command> command = switch (action) {
      case MAKE_ADMIN -> r -> new RoomActor.SetRole(actor.actor, targetName, Role.ADMIN, r);
      case MAKE_MEMBER -> r -> new RoomActor.SetRole(actor.actor, targetName, Role.MEMBER, r);
      case REMOVE, LEAVE -> r -> new RoomActor.RemoveMember(actor.actor, targetName, r);
    };
    var result = room.runCommand(command::apply);
    Refusal refusal = expected(actor, action, target);
    if (refusal == null) {
      var event = assertInstanceOf(RoomEvent.MemberChanged.class, result.event());
      assertEquals(targetName, event.target());
      assertEquals(actor.actor, event.user());
      assertEquals(headBefore + 1, assertInstanceOf(RoomActor.Applied.class, result.reply()).seq());
      RoomEvent.MemberAction expectedAction = switch (action) {
        case MAKE_ADMIN, MAKE_MEMBER -> RoomEvent.MemberAction.ROLE;
        case REMOVE -> RoomEvent.MemberAction.REMOVED;
        case LEAVE -> RoomEvent.MemberAction.LEFT;
      };
      assertEquals(expectedAction, event.action());
    } else {
      assertEquals(refusal, assertInstanceOf(RoomActor.Rejected.class, result.reply()).refusal());
      assertTrue(result.hasNoEvents(), "a refusal persists nothing");
      assertEquals(headBefore, room.getState().head());
    }
  }

  private static EventSourcedBehaviorTestKit<RoomActor.Command, RoomEvent, RoomState> roomWithEveryRole() {
    TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    InMemoryRoomStores stores = new InMemoryRoomStores();
    var deps = new RoomActor.Dependencies(
        RoomTestKit.small(), RoomTestKit.ENCODER, new InMemoryRoomIndex(),
        (roomId, from, to) -> CompletableFuture.failedFuture(new IllegalStateException("not in this test")),
        stores, stores, new RoomMetrics(new SimpleMeterRegistry()));
    var room = EventSourcedBehaviorTestKit.<RoomActor.Command, RoomEvent, RoomState>create(
        testKit.system(), RoomActor.create("roles-" + java.util.UUID.randomUUID(), shard.ref(), deps),
        RoomTestKit.serializationSettings());
    room.<RoomActor.CreateReply>runCommand(r -> new RoomActor.Create("roles", Visibility.PUBLIC, "olga", r));
    for (String user : new String[] {"adam", "ada", "mia", "max"}) {
      room.runCommand(new RoomActor.Admit(user, testKit.<RoomActor.RoomReply>createTestProbe().ref()));
    }
    for (String admin : new String[] {"adam", "ada"}) {
      room.<RoomActor.ChangeReply>runCommand(r -> new RoomActor.SetRole("olga", admin, Role.ADMIN, r));
    }
    assertEquals(Role.ADMIN, room.getState().roleOf("ada").orElseThrow());
    return room;
  }
}
