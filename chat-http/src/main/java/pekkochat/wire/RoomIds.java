package pekkochat.wire;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Room ids: URL-safe, made by the node on creation, checked before they reach sharding. */
public final class RoomIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  /** 16 characters of 36: about 82 bits, so ids do not collide and are not guessable. */
  private static final int LENGTH = 16;
  private static final SecureRandom random = new SecureRandom();

  private RoomIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  public static String newId() {
    char[] id = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    return new String(id);
  }
}
