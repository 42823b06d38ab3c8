package pekkochat.auth;

import java.util.regex.Pattern;

/** A username and password as sent to register or log in, with PROTOCOL.md's rules. */
public record Credentials(String username, String password) {

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  public static final int MIN_PASSWORD_LENGTH = 8;
  public static final int MAX_PASSWORD_LENGTH = 128;

  public boolean usernameValid() {
    return USERNAME.matcher(username).matches();
  }

  /** Length in characters (code points), as a user counts them. */
  public boolean passwordValid() {
    int length = password.codePointCount(0, password.length());
    return length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH;
  }

  /** Never print the password. */
  @Override
  public String toString() {
    return "Credentials[username=" + username + "]";
  }
}
