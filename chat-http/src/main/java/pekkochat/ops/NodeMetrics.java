package pekkochat.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.ActorRefWithCell;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The node's own gauges (docs/metrics.md): cluster members by status and unreachable, shards and
 * rooms this node's shard region hosts, and the relay's backlog. Cluster state and the relay's
 * mailbox are read at each scrape; the shard region is asked every {@code pollInterval}, since
 * asking it is a message round trip that a scrape should not wait for.
 */
public final class NodeMetrics {
  public sealed interface Command {}

  private record Poll() implements Command {}

  private record RegionState(ShardRegion.CurrentShardRegionState state) implements Command {}

  /** The member statuses an operator sees, as the {@code status} label's values. */
  private static final MemberStatus[] STATUSES = {
    MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up(), MemberStatus.leaving(),
    MemberStatus.exiting(), MemberStatus.down()
  };

  private NodeMetrics() {}

  public static Behavior<Command> create(
      MeterRegistry registry, ActorRef<?> relay, EntityTypeKey<?> shardedType, Duration pollInterval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      bindCluster(registry, Cluster.get(ctx.getSystem()));
      bindRelay(registry, relay);
      AtomicInteger shards = new AtomicInteger();
      AtomicInteger entities = new AtomicInteger();
      Gauge.builder("chat.shards", shards, AtomicInteger::get)
          .description("shards of rooms hosted by this node (polled)").register(registry);
      Gauge.builder("chat.sharded.rooms", entities, AtomicInteger::get)
          .description("room entities in this node's shards (polled)").register(registry);
      timers.startTimerWithFixedDelay(Poll.class, new Poll(), Duration.ZERO, pollInterval);
      ActorRef<ShardRegion.CurrentShardRegionState> replies = ctx.messageAdapter(
          ShardRegion.CurrentShardRegionState.class, RegionState::new);
      return Behaviors.receive(Command.class)
          .onMessage(Poll.class, poll -> {
            ClusterSharding.get(ctx.getSystem()).shardState().tell(new GetShardRegionState(shardedType, replies));
            return Behaviors.same();
          })
          .onMessage(RegionState.class, region -> {
            shards.set(region.state().getShards().size());
            entities.set(region.state().getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum());
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static void bindCluster(MeterRegistry registry, Cluster cluster) {
    for (MemberStatus status : STATUSES) {
      Gauge.builder("chat.cluster.members", () -> StreamSupport
              .stream(cluster.state().getMembers().spliterator(), false)
              .filter(m -> m.status().equals(status)).count())
          .tag("status", label(status))
          .description("members of the Pekko cluster as this node sees them, by status")
          .register(registry);
    }
    Gauge.builder("chat.cluster.unreachable", () -> cluster.state().getUnreachable().size())
        .description("members this node's failure detector marks unreachable").register(registry);
  }

  /**
   * Messages waiting in the relay's mailbox: events the node has received and not yet handed to
   * its sockets. Pekko has no public API for a mailbox's size; the cell's count is internal but
   * public in bytecode, exact for the relay's unbounded mailbox, and linear in the backlog, so it
   * is read per scrape only.
   */
  private static void bindRelay(MeterRegistry registry, ActorRef<?> relay) {
    org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(relay);
    Gauge.builder("chat.relay.backlog", () -> classic instanceof ActorRefWithCell cell ? cell.underlying().numberOfMessages() : 0)
        .description("events waiting in this node's relay for delivery to its sockets").register(registry);
  }

  /** {@code WeaklyUp} → {@code weakly_up}. */
  private static String label(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
