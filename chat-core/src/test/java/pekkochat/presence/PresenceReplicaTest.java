package pekkochat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three cluster nodes in one JVM, each with its replica: presence is the cluster's, not a node's
 * (PROTOCOL.md section 4), and a node that is downed takes its users offline everywhere.
 */
@Timeout(60)
class PresenceReplicaTest {
  private static final Duration SPREAD = Duration.ofSeconds(5);
  private static final Config NODE = ConfigFactory.parseString("""
      pekko.actor.provider = cluster
      pekko.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      pekko.actor.serialization-bindings { "pekkochat.common.CborSerializable" = jackson-cbor }
      pekko.cluster.distributed-data { gossip-interval = 500ms, notify-subscribers-interval = 100ms }
      pekko.cluster.jmx.enabled = off
      pekko.coordinated-shutdown.exit-jvm = off
      pekko.loglevel = WARNING
      """);

  private ActorTestKit first;
  private ActorTestKit second;
  private ActorTestKit third;
  private Node a;
  private Node b;
  private Node c;

  /** A node's replica and what it announced to its own sockets. */
  private record Node(ActorTestKit kit, ActorRef<PresenceReplica.Command> replica, TestProbe<String> announced) {
    ActorRef<Object> socket() {
      return kit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.ignore());
    }

    Map<String, PresenceStatus> lookup(String... users) {
      TestProbe<Map<String, PresenceStatus>> reply = kit.createTestProbe();
      replica.tell(new PresenceReplica.Lookup(List.of(users), reply.ref()));
      return reply.receiveMessage();
    }

    void expectAnnounced(String expected) {
      assertEquals(expected, announced.receiveMessage(SPREAD));
    }
  }

  @BeforeEach
  void formCluster() {
    first = ActorTestKit.create("chat", NODE);
    second = ActorTestKit.create("chat", NODE);
    third = ActorTestKit.create("chat", NODE);
    Cluster firstCluster = Cluster.get(first.system());
    firstCluster.manager().tell(Join.create(firstCluster.selfMember().address()));
    Cluster.get(second.system()).manager().tell(Join.create(firstCluster.selfMember().address()));
    Cluster.get(third.system()).manager().tell(Join.create(firstCluster.selfMember().address()));
    TestProbe<Object> waiter = first.createTestProbe();
    waiter.awaitAssert(Duration.ofSeconds(20), () -> {
      for (ActorTestKit kit : List.of(first, second, third)) assertEquals(3, upMembers(kit));
      return null;
    });
    a = node(first);
    b = node(second);
    c = node(third);
  }

  private static long upMembers(ActorTestKit kit) {
    return java.util.stream.StreamSupport.stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private static Node node(ActorTestKit kit) {
    TestProbe<String> announced = kit.createTestProbe();
    ActorRef<PresenceReplica.Command> replica = kit.spawn(PresenceReplica.create(
        (user, status) -> announced.ref().tell(user + ":" + status.wireName()), Clock.systemUTC()));
    return new Node(kit, replica, announced);
  }

  @AfterEach
  void stop() {
    third.shutdownTestKit();
    second.shutdownTestKit();
    first.shutdownTestKit();
  }

  @Test
  void aUserIsOnlineWhileAnyNodeHasASocketOfTheirs() {
    ActorRef<Object> onA = a.socket();
    a.replica().tell(new PresenceReplica.Connected("ann", onA));
    a.expectAnnounced("ann:online");
    b.expectAnnounced("ann:online");
    c.expectAnnounced("ann:online");
    ActorRef<Object> onC = c.socket();
    c.replica().tell(new PresenceReplica.Connected("ann", onC));
    c.announced().expectNoMessage(Duration.ofSeconds(1)); // gossip carries her socket on c to a

    first.stop(onA);
    a.announced().expectNoMessage(Duration.ofSeconds(1));
    b.announced().expectNoMessage(Duration.ofMillis(100));
    for (Node n : List.of(a, b, c)) {
      assertEquals(PresenceStatus.ONLINE, n.lookup("ann").get("ann"), "her socket on another node keeps her online");
    }

    third.stop(onC);
    for (Node n : List.of(c, a, b)) n.expectAnnounced("ann:offline");
    assertEquals(PresenceStatus.OFFLINE, b.lookup("ann").get("ann"));
  }

  @Test
  void awaySaidOnOneNodeHoldsOnEveryNodeAndOnANewDevice() {
    a.replica().tell(new PresenceReplica.Connected("bo", a.socket()));
    a.expectAnnounced("bo:online");
    b.expectAnnounced("bo:online");
    a.replica().tell(new PresenceReplica.SetStatus("bo", PresenceStatus.AWAY));
    a.expectAnnounced("bo:away");
    b.expectAnnounced("bo:away");

    b.replica().tell(new PresenceReplica.Connected("bo", b.socket()));
    b.announced().expectNoMessage(Duration.ofMillis(500));
    assertEquals(PresenceStatus.AWAY, b.lookup("bo").get("bo"), "a new device keeps what the user last said");

    b.replica().tell(new PresenceReplica.SetStatus("bo", PresenceStatus.ONLINE));
    b.expectAnnounced("bo:online");
    a.expectAnnounced("bo:online");
    assertEquals(Map.of("bo", PresenceStatus.ONLINE, "nobody", PresenceStatus.OFFLINE), a.lookup("bo", "nobody"));
  }

  @Test
  void theUsersOfADownedNodeGoOfflineOnTheOthers() {
    b.replica().tell(new PresenceReplica.Connected("cy", b.socket()));
    b.expectAnnounced("cy:online");
    a.expectAnnounced("cy:online");

    var secondAddress = Cluster.get(second.system()).selfMember().address();
    second.shutdownTestKit(); // as if killed: it says nothing more
    Cluster.get(first.system()).manager().tell(new Down(secondAddress));
    assertEquals("cy:offline", a.announced().receiveMessage(Duration.ofSeconds(20)));
    assertEquals(PresenceStatus.OFFLINE, a.lookup("cy").get("cy"));
  }
}
