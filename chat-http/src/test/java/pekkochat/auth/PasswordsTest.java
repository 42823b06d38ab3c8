package pekkochat.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pekkochat.storage.BlockingExecutor;

class PasswordsTest {

  /** bcrypt's minimum cost keeps the test fast; the algorithm is the same. */
  private static final int TEST_COST = 4;

  private static final BlockingExecutor pool = BlockingExecutor.create("test-hash", 2, 16);
  private static final Passwords passwords = new Passwords(TEST_COST, pool);

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Test
  void theRightPasswordVerifiesAndAWrongOneDoesNot() throws Exception {
    String hash = await(passwords.hash("correct horse battery"));
    assertTrue(hash.startsWith("$2b$04$"), hash);
    assertTrue(await(passwords.verify("correct horse battery", hash)));
    assertFalse(await(passwords.verify("correct horse batterY", hash)));
  }

  @Test
  void hashesAreSalted() throws Exception {
    assertNotEquals(await(passwords.hash("same password")), await(passwords.hash("same password")));
  }

  @Test
  void longPasswordsAreNotCutAtBcryptsSeventyTwoBytes() throws Exception {
    String common = "p".repeat(100);
    String hash = await(passwords.hash(common + "-one"));
    assertTrue(await(passwords.verify(common + "-one", hash)));
    assertFalse(await(passwords.verify(common + "-two", hash)));
  }

  @Test
  void multiByteCharactersCount() throws Exception {
    String password = "ü".repeat(40) + "a"; // 81 UTF-8 bytes, past bcrypt's limit
    String hash = await(passwords.hash(password));
    assertTrue(await(passwords.verify(password, hash)));
    assertFalse(await(passwords.verify("ü".repeat(40) + "b", hash)));
  }

  @Test
  void nobodyNeverVerifies() throws Exception {
    assertFalse(await(passwords.verifyNobody("decoy password for unknown users")));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
