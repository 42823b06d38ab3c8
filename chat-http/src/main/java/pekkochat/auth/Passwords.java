package pekkochat.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import pekkochat.storage.BlockingExecutor;

/**
 * Slow salted password hashes (bcrypt). bcrypt reads at most 72 bytes; longer passwords (up to
 * 128 characters, so up to 512 UTF-8 bytes) are first condensed with SHA-512 rather than cut,
 * so two long passwords differing only at the end stay different. Hashing takes tens of
 * milliseconds, so it runs on its own bounded pool, never on an HTTP or actor thread.
 */
public final class Passwords {

  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;
  private static final LongPasswordStrategy LONG_PASSWORDS =
      LongPasswordStrategies.hashSha512(VERSION);

  private final int cost;
  private final BlockingExecutor executor;
  /** Checked against when a user does not exist, so that answer takes as long as a wrong password. */
  private final String decoyHash;

  public Passwords(int cost, BlockingExecutor executor) {
    this.cost = cost;
    this.executor = executor;
    this.decoyHash = hashNow("decoy password for unknown users");
  }

  public CompletionStage<String> hash(String password) {
    return executor.supply(() -> hashNow(password));
  }

  public CompletionStage<Boolean> verify(String password, String hash) {
    return executor.supply(
        () ->
            BCrypt.verifyer(VERSION, LONG_PASSWORDS)
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.US_ASCII))
                .verified);
  }

  /** Spends the time of a verification and answers {@code false}: for an unknown user. */
  public CompletionStage<Boolean> verifyNobody(String password) {
    return verify(password, decoyHash).thenApply(ignored -> false);
  }

  private String hashNow(String password) {
    byte[] hash =
        BCrypt.with(VERSION, LONG_PASSWORDS).hash(cost, password.getBytes(StandardCharsets.UTF_8));
    return new String(hash, StandardCharsets.US_ASCII);
  }
}
