package pekkochat.auth;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code chat.auth} section of the node's configuration, plus where keys are kept. */
public record AuthSettings(
    Optional<String> jwtSecret,
    Duration tokenTtl,
    Duration ticketTtl,
    Duration ticketPurgeInterval,
    int bcryptCost,
    int hashThreads,
    int hashQueue,
    Throttle.Limit failedLogins,
    Throttle.Limit registrations,
    String trustedProxies,
    Path dataDir) {

  /** Reads {@code chat.auth.*} and {@code chat.data-dir} from the node's root config. */
  public static AuthSettings fromConfig(Config root) {
    Config auth = root.getConfig("chat.auth");
    String secret = auth.getString("jwt-secret");
    int threads = auth.getInt("hash-threads");
    return new AuthSettings(
        secret.isEmpty() ? Optional.empty() : Optional.of(secret),
        auth.getDuration("token-ttl"),
        auth.getDuration("ticket-ttl"),
        auth.getDuration("ticket-purge-interval"),
        auth.getInt("bcrypt-cost"),
        threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        auth.getInt("hash-queue"),
        Throttle.Limit.fromConfig(auth.getConfig("throttle.failed-login")),
        Throttle.Limit.fromConfig(auth.getConfig("throttle.register")),
        root.getString("chat.http.trusted-proxies"),
        Path.of(root.getString("chat.data-dir")));
  }

  /** Never print the secret. */
  @Override
  public String toString() {
    return "AuthSettings[jwtSecret=" + (jwtSecret.isPresent() ? "<set>" : "<generated>")
        + ", tokenTtl=" + tokenTtl + ", ticketTtl=" + ticketTtl
        + ", bcryptCost=" + bcryptCost + ", hashThreads=" + hashThreads + ", hashQueue=" + hashQueue
        + ", failedLogins=" + failedLogins + ", registrations=" + registrations + "]";
  }
}
