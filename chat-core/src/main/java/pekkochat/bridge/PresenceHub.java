package pekkochat.bridge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import pekkochat.presence.PresenceAnnouncer;
import pekkochat.presence.PresenceEntry;
import pekkochat.presence.PresenceReplica;
import pekkochat.presence.PresenceStatus;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Presence across bridged nodes, in Redis (the Distributed Data replica's counterpart). Each node
 * keeps what it says of its own users in a hash of its own (user → status and when it was said)
 * with a TTL, renewed by its heartbeat, and scores itself in the set of presence nodes. A change
 * is written to its hash and published at once; every node keeps a copy of the others' hashes,
 * applies the published changes as they come (under a second), and reads all hashes again on each
 * heartbeat, which repairs what pub/sub dropped. A node whose heartbeat is older than
 * {@code dead-after} is dropped, and its users with it: a killed node's users go offline together.
 * It takes {@link PresenceReplica}'s messages, so the node's {@code Presence} works the same.
 */
final class PresenceHub extends AbstractBehavior<Object> {

  private record SocketGone(String user, ActorRef<?> socket) {}

  private record Heartbeat() {}

  private record Synced(long startedAtMillis, Map<String, Map<String, PresenceEntry>> nodes, Throwable failure) {}

  private record Written(Throwable failure) {}

  private static final String REPLACE_OWN = """
      redis.call('DEL', KEYS[1])
      for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return 1""";

  private static final class LocalUser {
    final Set<ActorRef<?>> sockets = new HashSet<>();
    PresenceEntry entry;
  }

  static Behavior<Object> create(BridgeNode node, RedisConnection redis, PresenceAnnouncer announcer, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PresenceHub(ctx, timers, node, redis, announcer, clock)));
  }

  private final BridgeNode node;
  private final RedisConnection redis;
  private final PresenceAnnouncer announcer;
  private final Clock clock;
  private final Map<String, LocalUser> local = new HashMap<>();
  /** The other nodes' statements as last read or heard, by bridge id. */
  private final Map<String, Map<String, PresenceEntry>> remote = new HashMap<>();
  /** When (here) a node's user was last heard gone: an older read of its hash must not bring them back. */
  private final Map<String, Long> heardGone = new HashMap<>();
  /** The view as last announced; absent = offline. */
  private final Map<String, PresenceStatus> view = new HashMap<>();

  private PresenceHub(
      ActorContext<Object> ctx, TimerScheduler<Object> timers, BridgeNode node, RedisConnection redis,
      PresenceAnnouncer announcer, Clock clock) {
    super(ctx);
    this.node = node;
    this.redis = redis;
    this.announcer = announcer;
    this.clock = clock;
    timers.startTimerWithFixedDelay(new Heartbeat(), node.settings().presenceHeartbeat());
    ctx.getSelf().tell(new Heartbeat());
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(PresenceReplica.Connected.class, this::onConnected)
        .onMessage(PresenceReplica.SetStatus.class, this::onSetStatus)
        .onMessage(PresenceReplica.Lookup.class, this::onLookup)
        .onMessage(SocketGone.class, this::onSocketGone)
        .onMessage(BridgeCodec.PresenceChange.class, this::onChange)
        .onMessage(BridgeCodec.NodeLeft.class, left -> {
          Map<String, PresenceEntry> gone = remote.remove(left.origin());
          if (gone != null) gone.keySet().forEach(this::refresh);
          return this;
        })
        .onMessage(Heartbeat.class, this::onHeartbeat)
        .onMessage(Synced.class, this::onSynced)
        .onMessage(Written.class, written -> {
          if (written.failure() != null) getContext().getLog().debug("presence not written: {}", written.failure().toString());
          return this;
        })
        .build();
  }

  private Behavior<Object> onConnected(PresenceReplica.Connected c) {
    LocalUser user = local.get(c.user());
    if (user == null) {
      user = new LocalUser();
      // a new device keeps what the user last said elsewhere: away stays away
      PresenceEntry elsewhere = newestRemote(c.user());
      user.entry = elsewhere != null ? elsewhere : new PresenceEntry(PresenceStatus.ONLINE, clock.millis());
      local.put(c.user(), user);
      say(c.user(), user.entry);
    }
    if (user.sockets.add(c.socket())) getContext().watchWith(c.socket(), new SocketGone(c.user(), c.socket()));
    refresh(c.user());
    return this;
  }

  private Behavior<Object> onSetStatus(PresenceReplica.SetStatus s) {
    LocalUser user = local.get(s.user());
    if (user == null) return this;
    PresenceEntry newest = newestRemote(s.user());
    user.entry = new PresenceEntry(s.status(), Math.max(clock.millis(), newest == null ? 0 : newest.statedAtMillis() + 1));
    say(s.user(), user.entry);
    refresh(s.user());
    return this;
  }

  private Behavior<Object> onSocketGone(SocketGone gone) {
    LocalUser user = local.get(gone.user());
    if (user != null && user.sockets.remove(gone.socket()) && user.sockets.isEmpty()) {
      local.remove(gone.user());
      say(gone.user(), null);
      refresh(gone.user());
    }
    return this;
  }

  private Behavior<Object> onLookup(PresenceReplica.Lookup lookup) {
    Map<String, PresenceStatus> statuses = new HashMap<>();
    for (String user : lookup.users()) statuses.put(user, view.getOrDefault(user, PresenceStatus.OFFLINE));
    lookup.replyTo().tell(statuses);
    return this;
  }

  private Behavior<Object> onChange(BridgeCodec.PresenceChange change) {
    Map<String, PresenceEntry> of = remote.computeIfAbsent(change.origin(), n -> new HashMap<>());
    if (change.entry() == null) {
      of.remove(change.user());
      heardGone.put(change.origin() + "\n" + change.user(), clock.millis());
    } else {
      of.put(change.user(), change.entry());
    }
    refresh(change.user());
    return this;
  }

  /** Writes this node's statement of {@code user} (null: gone) to its hash and tells the other nodes. */
  private void say(String user, PresenceEntry entry) {
    String hash = node.names().presenceOf(node.self());
    long ttl = node.settings().presenceTtl().toMillis();
    byte[] change = node.codec().presence(node.self(), user, entry);
    getContext().pipeToSelf(redis.call(jedis -> {
      if (entry == null) {
        jedis.hdel(hash, user);
      } else {
        jedis.hset(hash, user, BridgeCodec.entryText(entry));
        jedis.pexpire(hash, ttl);
      }
      return null;
    }), (ok, failure) -> new Written(failure));
    node.publisher().tell(new RedisPublisher.Publish(node.names().presence(), change, null, 0));
  }

  /** Renews this node's hash and score, drops dead nodes, and reads every live node's hash. */
  private Behavior<Object> onHeartbeat(Heartbeat beat) {
    long now = clock.millis();
    BridgeChannels names = node.names();
    List<String> own = new ArrayList<>();
    own.add(Long.toString(node.settings().presenceTtl().toMillis()));
    local.forEach((user, state) -> {
      own.add(user);
      own.add(BridgeCodec.entryText(state.entry));
    });
    long deadBefore = now - node.settings().presenceDeadAfter().toMillis();
    getContext().pipeToSelf(redis.call(jedis -> {
      jedis.eval(REPLACE_OWN, List.of(names.presenceOf(node.self())), own);
      jedis.zadd(names.presenceNodes(), now, node.self());
      jedis.zremrangeByScore(names.presenceNodes(), Double.NEGATIVE_INFINITY, deadBefore);
      Map<String, Map<String, PresenceEntry>> nodes = new HashMap<>();
      Map<String, Response<Map<String, String>>> hashes = new HashMap<>();
      try (AbstractPipeline pipeline = jedis.pipelined()) {
        for (String other : jedis.zrange(names.presenceNodes(), 0, -1)) {
          if (!other.equals(node.self())) hashes.put(other, pipeline.hgetAll(names.presenceOf(other)));
        }
        pipeline.sync();
      }
      hashes.forEach((other, hash) -> {
        Map<String, PresenceEntry> entries = new HashMap<>();
        hash.get().forEach((user, text) -> entries.put(user, BridgeCodec.entry(text)));
        nodes.put(other, entries);
      });
      return nodes;
    }), (nodes, failure) -> new Synced(now, nodes, failure));
    return this;
  }

  private Behavior<Object> onSynced(Synced synced) {
    if (synced.failure() != null) {
      getContext().getLog().warn("presence could not be read from Redis: {}", synced.failure().toString());
      return this;
    }
    Set<String> touched = new HashSet<>();
    for (String gone : new ArrayList<>(remote.keySet())) {
      if (!synced.nodes().containsKey(gone)) touched.addAll(remote.remove(gone).keySet());
    }
    synced.nodes().forEach((other, read) -> {
      Map<String, PresenceEntry> known = remote.computeIfAbsent(other, n -> new HashMap<>());
      Set<String> users = new HashSet<>(known.keySet());
      users.addAll(read.keySet());
      for (String user : users) {
        PresenceEntry now = merged(other, user, known.get(user), read.get(user), synced.startedAtMillis());
        if (!Objects.equals(now, known.get(user))) {
          touched.add(user);
          if (now == null) known.remove(user);
          else known.put(user, now);
        }
      }
    });
    heardGone.values().removeIf(at -> at < synced.startedAtMillis());
    touched.forEach(this::refresh);
    return this;
  }

  /**
   * What a node says of a user after a read of its hash that began at {@code readAt}: a change
   * heard since (newer, or a departure after the read began) beats the read.
   */
  private PresenceEntry merged(String other, String user, PresenceEntry known, PresenceEntry read, long readAt) {
    Long goneAt = heardGone.get(other + "\n" + user);
    if (read == null) return known != null && known.statedAtMillis() >= readAt ? known : null;
    if (goneAt != null && goneAt >= readAt) return null;
    return known != null && known.statedAtMillis() > read.statedAtMillis() ? known : read;
  }

  private void refresh(String user) {
    LocalUser here = local.get(user);
    PresenceEntry newest = PresenceEntry.newer(here == null ? null : here.entry, newestRemote(user));
    PresenceStatus status = newest == null ? PresenceStatus.OFFLINE : newest.status();
    PresenceStatus previous = status == PresenceStatus.OFFLINE ? view.remove(user) : view.put(user, status);
    if (status != (previous == null ? PresenceStatus.OFFLINE : previous)) announcer.announce(user, status);
  }

  private PresenceEntry newestRemote(String user) {
    PresenceEntry newest = null;
    for (Map<String, PresenceEntry> other : remote.values()) newest = PresenceEntry.newer(newest, other.get(user));
    return newest;
  }
}
