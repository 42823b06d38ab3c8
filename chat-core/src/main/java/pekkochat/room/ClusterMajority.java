package pekkochat.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Tells the node's {@link WriteFence} whether this node is on the side of the cluster that the
 * Split Brain Resolver (keep-majority) keeps: more than half of the members that are up (or
 * leaving) reachable, or exactly half with the lowest address among them. A node cut off from the
 * majority then stops writing as soon as its failure detector sees it, not only once the resolver
 * downs it, while the majority waits the resolver's stable-after before it starts the node's rooms.
 * A node that was downed writes nothing more, whatever it sees while it stops.
 */
public final class ClusterMajority {
  private ClusterMajority() {}

  public static Behavior<ClusterEvent.ClusterDomainEvent> create(WriteFence fence) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().<ClusterEvent.MemberEvent>narrow(), ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().<ClusterEvent.ReachabilityEvent>narrow(), ClusterEvent.ReachabilityEvent.class));
      Address self = cluster.selfMember().address();
      Map<Address, MemberStatus> members = new HashMap<>();
      Set<Address> unreachable = new HashSet<>();
      return Behaviors.receiveMessage(event -> {
        if ((event instanceof ClusterEvent.MemberDowned || event instanceof ClusterEvent.MemberRemoved)
            && ((ClusterEvent.MemberEvent) event).member().address().equals(self)) {
          // downed: the others run this node's rooms now, whatever this node sees while it stops
          fence.majority(false);
          return Behaviors.stopped();
        }
        if (event instanceof ClusterEvent.MemberRemoved removed) {
          members.remove(removed.member().address());
          unreachable.remove(removed.member().address());
        } else if (event instanceof ClusterEvent.MemberEvent changed) {
          members.put(changed.member().address(), changed.member().status());
        } else if (event instanceof ClusterEvent.UnreachableMember lost) {
          unreachable.add(lost.member().address());
        } else if (event instanceof ClusterEvent.ReachableMember back) {
          unreachable.remove(back.member().address());
        }
        fence.majority(seesMajority(voting(members), unreachable));
        return Behaviors.same();
      });
    });
  }

  /** The members the resolver counts: up or leaving. */
  private static Set<Address> voting(Map<Address, MemberStatus> members) {
    Set<Address> voting = new HashSet<>();
    members.forEach((address, status) -> {
      if (status == MemberStatus.up() || status == MemberStatus.leaving()) voting.add(address);
    });
    return voting;
  }

  /** Keep-majority's rule; true before any member is up, when no room can run anywhere else either. */
  static boolean seesMajority(Collection<Address> voting, Set<Address> unreachable) {
    if (voting.isEmpty()) return true;
    long reachable = voting.stream().filter(a -> !unreachable.contains(a)).count();
    if (reachable * 2 != voting.size()) return reachable * 2 > voting.size();
    Address lowest = voting.stream().min(Address.addressOrdering()).orElseThrow();
    return !unreachable.contains(lowest);
  }
}
