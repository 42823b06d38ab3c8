package pekkochat.auth;

import com.typesafe.config.Config;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a username, a client address), shared by the HTTP threads. A key holds
 * a bucket only while it is below {@code burst}; the map holds at most {@code maxKeys}: past it,
 * full buckets are dropped (the same as absent), and if that is not enough the map starts over,
 * so many keys can cost memory only up to the bound, at worst forgiving what they had used.
 */
public final class Throttle {

  /** One bucket's bound, from a {@code chat.auth.throttle.*} section. */
  public record Limit(int burst, double perSecond, int maxKeys) {
    public static Limit fromConfig(Config section) {
      return new Limit(section.getInt("burst"), section.getDouble("per-second"), section.getInt("max-keys"));
    }
  }

  private final Limit limit;
  private final double perNano;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public Throttle(Limit limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.perNano = limit.perSecond() / 1_000_000_000.0;
    this.nanoClock = nanoClock;
  }

  /** Whether {@code key} has a token left, without taking it. */
  public boolean allows(String key) {
    Bucket bucket = buckets.get(key);
    return bucket == null || bucket.tokens(nanoClock.getAsLong()) >= 1;
  }

  /** Takes a token of {@code key}: false when it had none. */
  public boolean tryTake(String key) {
    long now = nanoClock.getAsLong();
    boolean taken = buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now)).take(now);
    if (buckets.size() > limit.maxKeys()) shed(now);
    return taken;
  }

  private void shed(long now) {
    buckets.values().removeIf(b -> b.tokens(now) >= limit.burst());
    if (buckets.size() > limit.maxKeys()) buckets.clear();
  }

  private final class Bucket {
    private double tokens;
    private long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }

    synchronized double tokens(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - lastNanos) * perNano);
      lastNanos = Math.max(lastNanos, now);
      return tokens;
    }

    synchronized boolean take(long now) {
      if (tokens(now) < 1) return false;
      tokens -= 1;
      return true;
    }
  }
}
