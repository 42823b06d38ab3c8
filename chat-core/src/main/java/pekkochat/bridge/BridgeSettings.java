package pekkochat.bridge;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Duration;

/** {@code chat.redis}: where Redis is, how long leases last, how the bridge retries (application.conf). */
public record BridgeSettings(
    URI url,
    String namespace,
    Duration connectTimeout,
    Duration socketTimeout,
    int poolSize,
    Duration leaseTtl,
    Duration leaseRenewEvery,
    Duration resolveRetry,
    Duration reconnectMin,
    Duration reconnectMax,
    int stashCapacity,
    Duration requestTimeout,
    int maxPublishBatch,
    int publishQueue,
    Duration presenceHeartbeat,
    Duration presenceDeadAfter,
    Duration presenceTtl) {

  public BridgeSettings {
    if (leaseRenewEvery.compareTo(leaseTtl) >= 0) {
      throw new IllegalArgumentException("chat.redis.lease-renew-every must be shorter than lease-ttl");
    }
    if (presenceHeartbeat.compareTo(presenceDeadAfter) >= 0 || presenceDeadAfter.compareTo(presenceTtl) > 0) {
      throw new IllegalArgumentException("chat.redis.presence needs heartbeat-every < dead-after <= ttl");
    }
  }

  public static BridgeSettings fromConfig(Config redis) {
    return new BridgeSettings(
        URI.create(redis.getString("url")),
        redis.getString("namespace"),
        redis.getDuration("connect-timeout"),
        redis.getDuration("socket-timeout"),
        redis.getInt("pool-size"),
        redis.getDuration("lease-ttl"),
        redis.getDuration("lease-renew-every"),
        redis.getDuration("resolve-retry"),
        redis.getDuration("reconnect-backoff.min"),
        redis.getDuration("reconnect-backoff.max"),
        redis.getInt("stash-capacity"),
        redis.getDuration("request-timeout"),
        redis.getInt("max-publish-batch"),
        redis.getInt("publish-queue"),
        redis.getDuration("presence.heartbeat-every"),
        redis.getDuration("presence.dead-after"),
        redis.getDuration("presence.ttl"));
  }

  /** The URL without its password, for logs. */
  public String redactedUrl() {
    String userInfo = url.getUserInfo();
    return userInfo == null ? url.toString() : url.toString().replace(userInfo + "@", "***@");
  }
}
