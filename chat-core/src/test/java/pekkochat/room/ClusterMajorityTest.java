package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** Keep-majority's rule, as the write fence applies it to what this node sees reachable. */
class ClusterMajorityTest {
  private static final Address A = node(2551);
  private static final Address B = node(2552);
  private static final Address C = node(2553);

  private static Address node(int port) {
    return new Address("pekko", "chat", "127.0.0.1", port);
  }

  @Test
  void twoOfThreeReachableIsAMajorityOneIsNot() {
    assertTrue(ClusterMajority.seesMajority(List.of(A, B, C), Set.of(C)));
    assertFalse(ClusterMajority.seesMajority(List.of(A, B, C), Set.of(B, C)));
  }

  @Test
  void onATieTheSideWithTheLowestAddressKeepsItsRooms() {
    assertTrue(ClusterMajority.seesMajority(List.of(A, B), Set.of(B)));
    assertFalse(ClusterMajority.seesMajority(List.of(A, B), Set.of(A)));
  }

  @Test
  void everyoneReachableOrNoMemberUpYetWrites() {
    assertTrue(ClusterMajority.seesMajority(List.of(A, B, C), Set.of()));
    assertTrue(ClusterMajority.seesMajority(List.of(), Set.of()));
  }
}
