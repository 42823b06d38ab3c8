package pekkochat.bridge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The node's Redis client: a Jedis pool with timeouts, whose blocking calls run on the bridge's
 * own dispatcher, never on an actor's thread. A call that fails (Redis down, a timeout) fails its
 * stage; the pool reconnects by itself on the next call.
 */
final class RedisConnection implements AutoCloseable {
  private final RedisClient client;
  private final Executor blocking;

  RedisConnection(BridgeSettings settings, Executor blocking) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
        .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
        .database(JedisURIHelper.getDBIndex(settings.url()));
    String user = JedisURIHelper.getUser(settings.url());
    String password = JedisURIHelper.getPassword(settings.url());
    if (user != null) config.user(user);
    if (password != null) config.password(password);
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(settings.poolSize());
    pool.setMaxIdle(settings.poolSize());
    // a caller waits for a free connection no longer than for an answer
    pool.setMaxWait(settings.socketTimeout());
    this.client = RedisClient.builder()
        .hostAndPort(JedisURIHelper.getHostAndPort(settings.url()))
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
    this.blocking = blocking;
  }

  /** Runs {@code call} on the bridge's dispatcher. */
  <T> CompletionStage<T> call(Function<UnifiedJedis, T> call) {
    return CompletableFuture.supplyAsync(() -> call.apply(client), blocking);
  }

  /** For the listener's own thread, which blocks in a subscription. */
  UnifiedJedis client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }
}
