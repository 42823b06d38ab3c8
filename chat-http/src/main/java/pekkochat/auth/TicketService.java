package pekkochat.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import pekkochat.storage.TicketStore;

/**
 * One-time tickets for {@code /ws?ticket=}: a browser cannot set headers on a WebSocket, and a
 * long-lived token in a URL would land in proxy logs. A ticket is 256 random bits, valid for
 * {@code ttl}, good once on any node sharing the database, and it carries the expiry of the token
 * it was issued with.
 */
public final class TicketService {

  private static final int TICKET_BYTES = 32;

  private final TicketStore store;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TicketService(TicketStore store, Duration ttl, Clock clock) {
    this.store = store;
    this.ttl = ttl;
    this.clock = clock;
  }

  public CompletionStage<IssuedTicket> issue(Principal principal) {
    byte[] bytes = new byte[TICKET_BYTES];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(ttl);
    return store
        .issue(
            hash(ticket),
            principal.username(),
            expiresAt.toEpochMilli(),
            principal.credentialExpiresAt().toEpochMilli())
        .thenApply(stored -> new IssuedTicket(ticket, expiresAt));
  }

  /** The ticket's user, once: a used, unknown or expired ticket gives empty. */
  public CompletionStage<Optional<Principal>> redeem(String ticket) {
    return store
        .redeem(hash(ticket), clock.millis())
        .thenApply(
            grant ->
                grant.map(
                    g -> new Principal(g.username(), Instant.ofEpochMilli(g.credentialExpiresAt()))));
  }

  private static String hash(String ticket) {
    return pekkochat.common.SecretHash.of(ticket);
  }
}
