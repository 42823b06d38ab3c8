package pekkochat.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import redis.clients.jedis.params.SetParams;

/**
 * The Redis lease that names a room's one writer among bridged nodes: its value is the writer's
 * bridge id. Taken with {@code SET NX PX}, renewed and released only by its holder (a compare in
 * Lua, so a writer that lost it cannot extend or delete the next writer's). A lease is only a
 * hint about who writes: the journal's unique (persistence id, sequence number) key fences a
 * writer that lost its lease and has not noticed yet.
 */
final class RoomLease {
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0""";
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""";

  private final RedisConnection redis;
  private final BridgeChannels names;
  private final String self;
  private final long ttlMillis;

  RoomLease(RedisConnection redis, BridgeChannels names, String self, Duration ttl) {
    this.redis = redis;
    this.names = names;
    this.self = self;
    this.ttlMillis = ttl.toMillis();
  }

  /** Takes the lease if it is free, and returns its holder: this node's id when it has it. */
  CompletionStage<String> acquire(String roomId) {
    return redis.call(jedis -> {
      String previous = jedis.setGet(names.lease(roomId), self, SetParams.setParams().nx().px(ttlMillis));
      return previous == null ? self : previous;
    });
  }

  /** True while the lease is still this node's, now for another ttl. */
  CompletionStage<Boolean> renew(String roomId) {
    return redis.call(jedis -> ((Long) jedis.eval(RENEW, List.of(names.lease(roomId)),
        List.of(self, Long.toString(ttlMillis)))) == 1L);
  }

  CompletionStage<Boolean> release(String roomId) {
    return redis.call(jedis -> ((Long) jedis.eval(RELEASE, List.of(names.lease(roomId)), List.of(self))) == 1L);
  }

  String self() {
    return self;
  }
}
