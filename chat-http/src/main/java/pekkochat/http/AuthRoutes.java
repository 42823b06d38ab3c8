package pekkochat.http;

import com.typesafe.config.Config;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.auth.AuthSettings;
import pekkochat.auth.Credentials;
import pekkochat.auth.JwtKeys;
import pekkochat.auth.Passwords;
import pekkochat.auth.Principal;
import pekkochat.auth.Throttle;
import pekkochat.auth.TicketService;
import pekkochat.auth.TokenService;
import pekkochat.storage.BlockingExecutor;
import pekkochat.storage.Database;
import pekkochat.storage.TicketStore;
import pekkochat.storage.UserStore;
import pekkochat.wire.ErrorCode;

/**
 * {@code POST /api/register}, {@code /api/login} and {@code /api/ws-ticket}, and the checks other
 * routes use: {@link #authenticated} for REST and {@link #authenticateSocket} for {@code /ws}.
 * Nothing here logs a password, token or ticket.
 */
public final class AuthRoutes extends AllDirectives implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
  private static final String BEARER_PREFIX = "bearer ";

  private final UserStore users;
  private final Passwords passwords;
  private final TokenService tokens;
  private final TicketService tickets;
  private final Clock clock;
  private final AutoCloseable hashingPool;
  /** Failed logins per username: a guessed password costs a token, and an empty bucket refuses before any hash. */
  private final Throttle failedLogins;
  /** Registrations per client address, generous for a NAT or a load tool. */
  private final Throttle registrations;
  private final ClientAddress clients;

  AuthRoutes(
      UserStore users,
      Passwords passwords,
      TokenService tokens,
      TicketService tickets,
      Clock clock,
      AutoCloseable hashingPool,
      Throttle failedLogins,
      Throttle registrations,
      ClientAddress clients) {
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
    this.tickets = tickets;
    this.clock = clock;
    this.hashingPool = hashingPool;
    this.failedLogins = failedLogins;
    this.registrations = registrations;
    this.clients = clients;
  }

  /** Wires auth from the node's root config ({@code chat.auth.*}, {@code chat.data-dir}). */
  public static AuthRoutes create(Config config, Database database) {
    return create(AuthSettings.fromConfig(config), database, Clock.systemUTC());
  }

  public static AuthRoutes create(AuthSettings settings, Database database, Clock clock) {
    BlockingExecutor hashingPool =
        BlockingExecutor.create("chat-password-hash", settings.hashThreads(), settings.hashQueue());
    return new AuthRoutes(
        new UserStore(database),
        new Passwords(settings.bcryptCost(), hashingPool),
        new TokenService(JwtKeys.load(settings.jwtSecret(), settings.dataDir()), settings.tokenTtl(), clock),
        new TicketService(
            new TicketStore(database, settings.ticketPurgeInterval()), settings.ticketTtl(), clock),
        clock,
        hashingPool,
        new Throttle(settings.failedLogins(), System::nanoTime),
        new Throttle(settings.registrations(), System::nanoTime),
        new ClientAddress(settings.trustedProxies()));
  }

  public Route routes() {
    return pathPrefix(
        "api",
        () ->
            concat(
                path("register", () -> post(() -> clients.apply(client -> withCredentials(c -> register(c, client))))),
                path("login", () -> post(() -> withCredentials(this::login))),
                path("ws-ticket", () -> post(() -> authenticated(this::issueTicket)))));
  }

  /**
   * Runs {@code inner} for the user of the request's {@code Authorization: Bearer <jwt>}; answers
   * 401 {@code unauthorized} when the header is missing or the token bad or expired.
   */
  public Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header ->
            header
                .flatMap(AuthRoutes::bearerToken)
                .flatMap(tokens::verify)
                .map(inner)
                .orElseGet(
                    () ->
                        complete(
                            ApiResponses.error(
                                ErrorCode.UNAUTHORIZED, "missing, invalid or expired token"))));
  }

  /**
   * The user of a {@code /ws} upgrade, from the first credential present: the {@code ticket}
   * query parameter (used up here), the {@code token} query parameter, or the raw value of the
   * {@code Authorization} header ({@code Bearer <jwt>}). Empty means refuse with 401; a failed
   * stage means the database is down (answer 503).
   */
  public CompletionStage<Optional<Principal>> authenticateSocket(
      Optional<String> ticket, Optional<String> token, Optional<String> bearerHeader) {
    if (ticket.isPresent()) return tickets.redeem(ticket.get());
    Optional<String> jwt = token.or(() -> bearerHeader.flatMap(AuthRoutes::bearerToken));
    return CompletableFuture.completedFuture(jwt.flatMap(tokens::verify));
  }

  private Route register(Credentials credentials, String client) {
    if (!credentials.usernameValid()) {
      return complete(
          ApiResponses.error(
              ErrorCode.BAD_REQUEST, "username must be 3 to 32 of letters, digits, '_', '.', '-'"));
    }
    if (!credentials.passwordValid()) {
      return complete(
          ApiResponses.error(
              ErrorCode.BAD_REQUEST,
              "password must be " + Credentials.MIN_PASSWORD_LENGTH + " to "
                  + Credentials.MAX_PASSWORD_LENGTH + " characters"));
    }
    if (!registrations.tryTake(client)) {
      return complete(ApiResponses.error(ErrorCode.RATE_LIMITED, "too many registrations from this address; wait a little"));
    }
    String username = credentials.username();
    return answer(
        passwords
            .hash(credentials.password())
            .thenCompose(hash -> users.create(username, hash, clock.millis()))
            .thenApply(
                created -> {
                  if (!created) {
                    return ApiResponses.error(ErrorCode.CONFLICT, "username is taken");
                  }
                  log.info("registered user {}", username);
                  return session(StatusCodes.CREATED, username);
                }));
  }

  /**
   * A wrong name and a wrong password get the same answer, after the same bcrypt work. A name with
   * too many recent failures is refused with 429 before any hash, whatever the password.
   */
  private Route login(Credentials credentials) {
    if (!credentials.usernameValid() || !credentials.passwordValid()) return complete(wrongLogin());
    String username = credentials.username();
    if (!failedLogins.allows(username)) {
      return complete(ApiResponses.error(ErrorCode.RATE_LIMITED, "too many failed logins for this user; wait a little"));
    }
    return answer(
        users
            .passwordHash(username)
            .thenCompose(
                hash ->
                    hash.map(h -> passwords.verify(credentials.password(), h))
                        .orElseGet(() -> passwords.verifyNobody(credentials.password())))
            .thenApply(ok -> {
              if (ok) return session(StatusCodes.OK, username);
              failedLogins.tryTake(username);
              return wrongLogin();
            }));
  }

  /** expiresAt is epoch milliseconds, like every other time on the wire (an event's ts). */
  private Route issueTicket(Principal principal) {
    return answer(
        tickets
            .issue(principal)
            .thenApply(
                issued ->
                    ApiResponses.json(
                        StatusCodes.CREATED,
                        new TicketBody(issued.ticket(), issued.expiresAt().toEpochMilli()))));
  }

  private HttpResponse session(StatusCode status, String username) {
    return ApiResponses.json(status, new SessionBody(tokens.issue(username), new UserBody(username)));
  }

  private static HttpResponse wrongLogin() {
    return ApiResponses.error(ErrorCode.UNAUTHORIZED, "wrong username or password");
  }

  /** Parses {@code {"username","password"}}; anything else is 400 {@code bad_request}. */
  private Route withCredentials(Function<Credentials, Route> inner) {
    return entity(Unmarshaller.entityToString(), body -> {
      JsonBodies.Decoded<Credentials> credentials = JsonBodies.credentials(body);
      return credentials.isBad() ? complete(credentials.badRequest()) : inner.apply(credentials.value());
    });
  }

  /** Completes with the answer, or 503 {@code unavailable} when storage or hashing failed. */
  private Route answer(CompletionStage<HttpResponse> response) {
    return completeWithFuture(
        response.exceptionally(
            failure -> {
              log.warn("auth request failed: {}", describe(failure));
              return ApiResponses.error(ErrorCode.UNAVAILABLE, "try again later");
            }));
  }

  /**
   * The root cause's type and SQL state only: a driver's message may quote the statement's
   * values, such as a password hash.
   */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) root = root.getCause();
    return root instanceof SQLException sql
        ? root.getClass().getName() + " (SQL state " + sql.getSQLState() + ")"
        : root.getClass().getName();
  }

  private static Optional<String> bearerToken(String header) {
    return header.toLowerCase(Locale.ROOT).startsWith(BEARER_PREFIX)
        ? Optional.of(header.substring(BEARER_PREFIX.length()).trim())
        : Optional.empty();
  }

  @Override
  public void close() throws Exception {
    hashingPool.close();
  }

  record SessionBody(String token, UserBody user) {}

  record UserBody(String name) {}

  record TicketBody(String ticket, long expiresAt) {}
}
