package pekkochat.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtKeysTest {

  @Test
  void aConfiguredSecretIsUsedAsItsBytes(@TempDir Path dir) {
    String secret = "s".repeat(40);
    assertArrayEquals(
        secret.getBytes(StandardCharsets.UTF_8), JwtKeys.load(Optional.of(secret), dir));
    assertTrue(Files.notExists(dir.resolve(JwtKeys.FILE_NAME)));
  }

  @Test
  void aShortConfiguredSecretIsRefused(@TempDir Path dir) {
    assertThrows(IllegalArgumentException.class, () -> JwtKeys.load(Optional.of("secret"), dir));
  }

  @Test
  void aGeneratedKeyIsPrivateAndSurvivesARestart(@TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    byte[] first = JwtKeys.load(Optional.empty(), dataDir);
    Path file = dataDir.resolve(JwtKeys.FILE_NAME);

    assertTrue(first.length >= JwtKeys.MIN_SECRET_BYTES);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var entries = Files.list(dataDir)) {
      assertEquals(1, entries.count(), "no temporary file left behind");
    }

    String token = new TokenService(first, Duration.ofHours(1), Clock.systemUTC()).issue("alice");
    byte[] afterRestart = JwtKeys.load(Optional.empty(), dataDir);
    assertArrayEquals(first, afterRestart);
    assertEquals(
        "alice",
        new TokenService(afterRestart, Duration.ofHours(1), Clock.systemUTC())
            .verify(token)
            .orElseThrow()
            .username());
  }
}
