package pekkochat.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Issues and checks the HS256 JWTs of PROTOCOL.md: {@code sub} = username, valid {@code ttl}. */
public final class TokenService {

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Duration ttl;
  private final Clock clock;

  public TokenService(byte[] key, Duration ttl, Clock clock) {
    this.algorithm = Algorithm.HMAC256(key);
    this.ttl = ttl;
    this.clock = clock;
    // a token without an expiry would be valid forever: refuse it even if signed with our key
    this.verifier =
        ((JWTVerifier.BaseVerification)
                JWT.require(algorithm).withClaimPresence("sub").withClaimPresence("exp"))
            .build(clock);
  }

  public String issue(String username) {
    Instant now = clock.instant();
    return JWT.create()
        .withSubject(username)
        .withIssuedAt(now)
        .withExpiresAt(now.plus(ttl))
        .sign(algorithm);
  }

  /** The token's user, when the token is ours, intact and not expired. */
  public Optional<Principal> verify(String token) {
    try {
      DecodedJWT jwt = verifier.verify(token);
      return Optional.of(new Principal(jwt.getSubject(), jwt.getExpiresAtAsInstant()));
    } catch (JWTVerificationException refused) {
      return Optional.empty();
    }
  }
}
