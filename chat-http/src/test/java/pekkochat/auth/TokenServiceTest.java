package pekkochat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_KEY = "o".repeat(32).getBytes(StandardCharsets.UTF_8);
  private static final Duration TTL = Duration.ofHours(24);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final TokenService tokens = new TokenService(KEY, TTL, CLOCK);

  @Test
  void aTokenNamesItsUserAndExpiresAfterTheTtl() {
    assertEquals(
        Optional.of(new Principal("alice", NOW.plus(TTL))), tokens.verify(tokens.issue("alice")));
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() {
    String foreign = new TokenService(OTHER_KEY, TTL, CLOCK).issue("alice");
    assertTrue(tokens.verify(foreign).isEmpty());
  }

  @Test
  void anExpiredTokenIsRefused() {
    Clock dayAndSecondLater = Clock.offset(CLOCK, TTL.plusSeconds(1));
    String token = tokens.issue("alice");
    assertTrue(new TokenService(KEY, TTL, dayAndSecondLater).verify(token).isEmpty());
  }

  @Test
  void aTamperedTokenIsRefused() {
    String[] parts = tokens.issue("alice").split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"alice\"", "\"admin\"");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertTrue(tokens.verify(forged).isEmpty());
  }

  @Test
  void unsignedAndExpiryLessTokensAreRefused() {
    String unsigned =
        JWT.create().withSubject("alice").withExpiresAt(NOW.plus(TTL)).sign(Algorithm.none());
    String forever = JWT.create().withSubject("alice").sign(Algorithm.HMAC256(KEY));
    assertTrue(tokens.verify(unsigned).isEmpty());
    assertTrue(tokens.verify(forever).isEmpty());
    assertTrue(tokens.verify("not a token").isEmpty());
  }
}
