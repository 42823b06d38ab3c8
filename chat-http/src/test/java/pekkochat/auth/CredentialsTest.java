package pekkochat.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialsTest {

  private static final String GOOD_PASSWORD = "correct horse";

  @Test
  void usernamesAreThreeToThirtyTwoOfTheAllowedCharacters() {
    assertTrue(new Credentials("abc", GOOD_PASSWORD).usernameValid());
    assertTrue(new Credentials("A.b_c-9", GOOD_PASSWORD).usernameValid());
    assertTrue(new Credentials("a".repeat(32), GOOD_PASSWORD).usernameValid());
    assertFalse(new Credentials("ab", GOOD_PASSWORD).usernameValid());
    assertFalse(new Credentials("a".repeat(33), GOOD_PASSWORD).usernameValid());
    assertFalse(new Credentials("has space", GOOD_PASSWORD).usernameValid());
    assertFalse(new Credentials("émile", GOOD_PASSWORD).usernameValid());
    assertFalse(new Credentials("abc\n", GOOD_PASSWORD).usernameValid());
  }

  @Test
  void passwordsAreEightToOneHundredTwentyEightCharacters() {
    assertTrue(new Credentials("alice", "x".repeat(8)).passwordValid());
    assertTrue(new Credentials("alice", "x".repeat(128)).passwordValid());
    assertFalse(new Credentials("alice", "x".repeat(7)).passwordValid());
    assertFalse(new Credentials("alice", "x".repeat(129)).passwordValid());
    // 8 emoji are 16 UTF-16 units but 8 characters to the user
    assertTrue(new Credentials("alice", "😀".repeat(8)).passwordValid());
    assertFalse(new Credentials("alice", "😀".repeat(129)).passwordValid());
  }

  @Test
  void thePasswordNeverShowsInToString() {
    assertFalse(new Credentials("alice", "hunter2hunter2").toString().contains("hunter2"));
  }
}
