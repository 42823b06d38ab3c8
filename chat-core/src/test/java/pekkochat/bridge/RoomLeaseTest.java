package pekkochat.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.services.LocalRedis;

/** The room lease on a real Redis: one holder at a time, renewed and released by its holder only, free after its ttl. */
class RoomLeaseTest {
  private static final Duration TTL = Duration.ofMillis(600);

  private ExecutorService blocking;
  private RedisConnection redis;
  private RoomLease first;
  private RoomLease second;
  private final String room = "room-" + UUID.randomUUID();

  @BeforeEach
  void connect() {
    BridgeSettings settings = settings();
    blocking = Executors.newFixedThreadPool(2);
    redis = new RedisConnection(settings, blocking);
    BridgeChannels names = new BridgeChannels(settings.namespace());
    first = new RoomLease(redis, names, "first/1", TTL);
    second = new RoomLease(redis, names, "second/1", TTL);
  }

  @AfterEach
  void close() {
    redis.close();
    blocking.shutdownNow();
  }

  static BridgeSettings settings() {
    return BridgeSettings.fromConfig(ConfigFactory.parseString("url = \"" + LocalRedis.url() + "\"\n"
        + "namespace = \"test-" + UUID.randomUUID().toString().substring(0, 8) + "\"\n"
        + """
            connect-timeout = 1s
            socket-timeout = 1s
            pool-size = 4
            lease-ttl = 8s
            lease-renew-every = 2s
            resolve-retry = 500ms
            reconnect-backoff { min = 200ms, max = 5s }
            stash-capacity = 100
            request-timeout = 10s
            max-publish-batch = 100
            publish-queue = 1000
            presence { heartbeat-every = 5s, dead-after = 15s, ttl = 30s }
            """));
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void theFirstToAskHoldsItAndTheOtherLearnsWho() throws Exception {
    assertEquals("first/1", await(first.acquire(room)));
    assertEquals("first/1", await(second.acquire(room)), "the second node is told the holder");
    assertEquals("first/1", await(first.acquire(room)), "asking again keeps it");
  }

  @Test
  void onlyItsHolderRenewsOrReleasesIt() throws Exception {
    await(first.acquire(room));
    assertFalse(await(second.renew(room)));
    assertFalse(await(second.release(room)));
    assertEquals("first/1", await(second.acquire(room)));
    assertTrue(await(first.renew(room)));
    assertTrue(await(first.release(room)));
    assertEquals("second/1", await(second.acquire(room)), "free once released");
  }

  @Test
  void aLeaseNotRenewedRunsOutAndAnotherNodeTakesIt() throws Exception {
    await(first.acquire(room));
    Thread.sleep(TTL.toMillis() / 2);
    assertTrue(await(first.renew(room)));
    Thread.sleep(TTL.toMillis() / 2 + 100);
    assertEquals("first/1", await(second.acquire(room)), "renewed: still held past the first ttl");
    Thread.sleep(TTL.toMillis() + 200);
    assertEquals("second/1", await(second.acquire(room)), "run out: the other node takes it");
    assertFalse(await(first.renew(room)), "the old holder cannot renew the new holder's lease");
  }
}
