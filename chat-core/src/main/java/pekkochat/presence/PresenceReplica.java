package pekkochat.presence;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * This node's copy of the cluster's presence (Distributed Data). Each node writes only its own
 * map, keyed by its unique address: user → {@link PresenceEntry} for every user with a socket
 * here. It reads the maps of the other members, so a user is online while any node has a socket
 * of theirs, and a node that leaves the cluster (or is downed) takes its users' entries with it.
 *
 * <p>Every replica works out the same cluster view, and tells its own node of each change (the
 * {@link PresenceAnnouncer} hands it to this node's sockets only): no room is woken for presence,
 * and a change is delivered once per node.
 */
public final class PresenceReplica extends AbstractBehavior<PresenceReplica.Command> {

  public sealed interface Command {}

  /** A socket of {@code user} opened here; its end (the actor stopping) is noticed by a watch. */
  public record Connected(String user, ActorRef<?> socket) implements Command {}

  /** The user said {@code online} or {@code away} on a socket here. */
  public record SetStatus(String user, PresenceStatus status) implements Command {}

  public record Lookup(Collection<String> users, ActorRef<Map<String, PresenceStatus>> replyTo) implements Command {}

  private record SocketGone(String user, ActorRef<?> socket) implements Command {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {}

  private record ReplicaChanged(Replicator.SubscribeResponse<LWWMap<String, PresenceEntry>> response)
      implements Command {}

  private record Written(Replicator.UpdateResponse<LWWMap<String, PresenceEntry>> response) implements Command {}

  /** A user with sockets on this node. */
  private static final class LocalUser {
    final Set<ActorRef<?>> sockets = new HashSet<>();
    PresenceEntry entry;
  }

  public static Behavior<Command> create(PresenceAnnouncer announcer, Clock clock) {
    return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
        (ReplicatorMessageAdapter<Command, LWWMap<String, PresenceEntry>> replicator) ->
            new PresenceReplica(ctx, replicator, announcer, clock)));
  }

  private final ReplicatorMessageAdapter<Command, LWWMap<String, PresenceEntry>> replicator;
  private final PresenceAnnouncer announcer;
  private final Clock clock;
  private final SelfUniqueAddress self;
  private final Key<LWWMap<String, PresenceEntry>> ownKey;
  private final Map<String, LocalUser> local = new HashMap<>();
  /** The last map seen from each other member; a member that is removed leaves this. */
  private final Map<UniqueAddress, Map<String, PresenceEntry>> remote = new HashMap<>();
  /**
   * Whose map each subscribed key is. The adapter maps every key's changes through one function
   * (message adapters are per class), so a change names its node by its key, not by a closure.
   */
  private final Map<Key<LWWMap<String, PresenceEntry>>, UniqueAddress> owners = new HashMap<>();
  /** The cluster's view as last announced; absent = offline. */
  private final Map<String, PresenceStatus> view = new HashMap<>();

  private PresenceReplica(
      ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, LWWMap<String, PresenceEntry>> replicator,
      PresenceAnnouncer announcer, Clock clock) {
    super(ctx);
    this.replicator = replicator;
    this.announcer = announcer;
    this.clock = clock;
    this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
    this.ownKey = keyOf(self.uniqueAddress());
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
  }

  private static Key<LWWMap<String, PresenceEntry>> keyOf(UniqueAddress node) {
    return LWWMapKey.create("presence@" + node.address().hostPort() + "#" + node.longUid());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(SetStatus.class, this::onSetStatus)
        .onMessage(SocketGone.class, this::onSocketGone)
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(ReplicaChanged.class, this::onReplicaChanged)
        .onMessage(Written.class, w -> this)
        .build();
  }

  private Behavior<Command> onConnected(Connected c) {
    LocalUser user = local.get(c.user());
    if (user == null) {
      user = new LocalUser();
      // a new device keeps what the user last said elsewhere: away stays away
      PresenceEntry elsewhere = newestRemote(c.user());
      user.entry = elsewhere != null ? elsewhere : new PresenceEntry(PresenceStatus.ONLINE, clock.millis());
      local.put(c.user(), user);
      write(c.user(), user.entry);
    }
    if (user.sockets.add(c.socket())) getContext().watchWith(c.socket(), new SocketGone(c.user(), c.socket()));
    refresh(c.user());
    return this;
  }

  private Behavior<Command> onSetStatus(SetStatus s) {
    LocalUser user = local.get(s.user());
    if (user == null) return this;
    user.entry = new PresenceEntry(s.status(), Math.max(clock.millis(), newestStatedAt(s.user()) + 1));
    write(s.user(), user.entry);
    refresh(s.user());
    return this;
  }

  private Behavior<Command> onSocketGone(SocketGone gone) {
    LocalUser user = local.get(gone.user());
    if (user != null && user.sockets.remove(gone.socket()) && user.sockets.isEmpty()) {
      local.remove(gone.user());
      write(gone.user(), null);
      refresh(gone.user());
    }
    return this;
  }

  private Behavior<Command> onLookup(Lookup lookup) {
    Map<String, PresenceStatus> statuses = new HashMap<>();
    for (String user : lookup.users()) statuses.put(user, view.getOrDefault(user, PresenceStatus.OFFLINE));
    lookup.replyTo().tell(statuses);
    return this;
  }

  private Behavior<Command> onMemberChanged(MemberChanged changed) {
    Member member = changed.event().member();
    UniqueAddress node = member.uniqueAddress();
    if (node.equals(self.uniqueAddress())) return this;
    if (member.status() == MemberStatus.removed()) {
      replicator.unsubscribe(keyOf(node));
      owners.remove(keyOf(node));
      Map<String, PresenceEntry> gone = remote.remove(node);
      if (gone != null) gone.keySet().forEach(this::refresh);
    } else if (!remote.containsKey(node)) {
      remote.put(node, Map.of());
      owners.put(keyOf(node), node);
      replicator.subscribe(keyOf(node), ReplicaChanged::new);
    }
    return this;
  }

  private Behavior<Command> onReplicaChanged(ReplicaChanged changed) {
    UniqueAddress node = owners.get(changed.response().key());
    if (node == null) return this; // removed meanwhile
    Map<String, PresenceEntry> now = changed.response() instanceof Replicator.Changed<LWWMap<String, PresenceEntry>> c
        ? Map.copyOf(c.dataValue().getEntries())
        : Map.of();
    Map<String, PresenceEntry> before = remote.put(node, now);
    Set<String> touched = new HashSet<>(now.keySet());
    touched.addAll(before.keySet());
    for (String user : touched) {
      if (!Objects.equals(before.get(user), now.get(user))) refresh(user);
    }
    return this;
  }

  /** Works out {@code user}'s cluster status again and announces it if it changed. */
  private void refresh(String user) {
    LocalUser here = local.get(user);
    PresenceEntry newest = PresenceEntry.newer(here == null ? null : here.entry, newestRemote(user));
    PresenceStatus status = newest == null ? PresenceStatus.OFFLINE : newest.status();
    PresenceStatus previous = status == PresenceStatus.OFFLINE ? view.remove(user) : view.put(user, status);
    if (status != (previous == null ? PresenceStatus.OFFLINE : previous)) announcer.announce(user, status);
  }

  private PresenceEntry newestRemote(String user) {
    PresenceEntry newest = null;
    for (Map<String, PresenceEntry> node : remote.values()) newest = PresenceEntry.newer(newest, node.get(user));
    return newest;
  }

  private long newestStatedAt(String user) {
    PresenceEntry newest = newestRemote(user);
    return newest == null ? 0 : newest.statedAtMillis();
  }

  /** Only this node writes its own map; a local write, spread by gossip (see application.conf). */
  private void write(String user, PresenceEntry entry) {
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(ownKey, LWWMap.empty(), Replicator.writeLocal(), replyTo,
            map -> entry == null ? map.remove(self, user) : map.put(self, user, entry)),
        Written::new);
  }
}
