package pekkochat.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The HS256 key for tokens: the configured secret, or else a random one generated on first start
 * and kept in {@code <data-dir>/jwt-secret} so tokens survive a restart. The file holds the
 * secret as text, in the same form {@code CHAT_JWT_SECRET} takes, so an operator can hand one
 * node's key to others.
 */
public final class JwtKeys {

  static final String FILE_NAME = "jwt-secret";
  /** HS256 is only as strong as its key: RFC 7518 asks for at least the hash size, 256 bits. */
  static final int MIN_SECRET_BYTES = 32;

  private JwtKeys() {}

  public static byte[] load(Optional<String> configuredSecret, Path dataDir) {
    String secret = configuredSecret.orElseGet(() -> readOrCreate(dataDir.resolve(FILE_NAME)));
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "chat.auth.jwt-secret (CHAT_JWT_SECRET) must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return key;
  }

  private static String readOrCreate(Path file) {
    try {
      if (!Files.exists(file)) create(file);
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the token key " + file, e);
    }
  }

  /**
   * Writes the key to a private temporary file, then links it into place: the link fails if
   * another process created the key first, and then that key is the one read and used.
   */
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] random = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path temporary =
        Files.createTempFile(
            file.toAbsolutePath().getParent(),
            FILE_NAME,
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temporary, secret + "\n", StandardCharsets.US_ASCII);
      Files.createLink(file, temporary);
    } catch (FileAlreadyExistsException createdByAnotherProcess) {
      // keep theirs
    } finally {
      Files.delete(temporary);
    }
  }
}
