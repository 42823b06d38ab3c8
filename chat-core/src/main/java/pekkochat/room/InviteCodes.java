package pekkochat.room;

import java.security.SecureRandom;
import java.util.Base64;
import pekkochat.common.SecretHash;

/** Invite codes: 192 random bits, URL-safe; only their SHA-256 is ever stored. */
public final class InviteCodes {
  private static final int CODE_BYTES = 24;
  private static final SecureRandom random = new SecureRandom();

  private InviteCodes() {}

  public static String newCode() {
    byte[] bytes = new byte[CODE_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String code) {
    return pekkochat.common.SecretHash.of(code);
  }
}
