package pekkochat.http;

import pekkochat.wire.ErrorCode;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import pekkochat.http.AuthRoutes;
import pekkochat.connection.SocketFlows;

/**
 * {@code GET /ws}: refuses a disallowed Origin with 403 and a missing, used or bad credential
 * with 401, both before the upgrade; otherwise hands the socket to a new ConnectionActor.
 */
public final class SocketRoute extends AllDirectives {
  private final AuthRoutes auth;
  private final SocketFlows sockets;
  private final OriginPolicy origins;

  public SocketRoute(AuthRoutes auth, SocketFlows sockets, OriginPolicy origins) {
    this.auth = auth;
    this.sockets = sockets;
    this.origins = origins;
  }

  public Route route() {
    return path("ws", () -> get(() ->
        optionalHeaderValueByName("Origin", origin ->
            optionalHeaderValueByName("X-Forwarded-Host", forwardedHost ->
                optionalHeaderValueByName("Host", host -> {
                  if (!origins.allows(origin, forwardedHost.or(() -> host))) {
                    return complete(ApiResponses.error(ErrorCode.FORBIDDEN, "this Origin may not open a socket"));
                  }
                  return parameterOptional("ticket", ticket ->
                      parameterOptional("token", token ->
                          optionalHeaderValueByName("Authorization", bearer ->
                              onSuccess(auth.authenticateSocket(ticket, token, bearer), principal ->
                                  principal.isEmpty()
                                      ? complete(unauthorized())
                                      : onSuccess(sockets.open(principal.get()), this::handleWebSocketMessages)))));
                })))));
  }

  private static HttpResponse unauthorized() {
    return ApiResponses.error(ErrorCode.UNAUTHORIZED, "a valid ticket or token is required");
  }
}
