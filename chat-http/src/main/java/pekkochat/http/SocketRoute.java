package pekkochat.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import pekkochat.auth.Principal;
import pekkochat.connection.SocketFlows;
import pekkochat.wire.ErrorCode;

/**
 * {@code GET /ws} (PROTOCOL.md section 4): a request that is not a WebSocket upgrade gets 400
 * before anything else; then a disallowed Origin 403, a missing, used or bad credential 401, and
 * a user at the per-user socket cap 429, all before the upgrade; otherwise the socket opens.
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
        optionalAttribute(AttributeKeys.webSocketUpgrade, upgrade -> upgrade.isEmpty()
            ? complete(ApiResponses.error(ErrorCode.BAD_REQUEST, "GET /ws must be a WebSocket upgrade"))
            : checked(upgrade.get()))));
  }

  private Route checked(WebSocketUpgrade upgrade) {
    return optionalHeaderValueByName("Origin", origin ->
        optionalHeaderValueByName("X-Forwarded-Host", forwardedHost ->
            optionalHeaderValueByName("Host", host -> {
              if (!origins.allows(origin, forwardedHost.or(() -> host))) {
                return complete(ApiResponses.error(ErrorCode.FORBIDDEN, "this Origin may not open a socket"));
              }
              return parameterOptional("ticket", ticket ->
                  parameterOptional("token", token ->
                      optionalHeaderValueByName("Authorization", bearer ->
                          onSuccess(auth.authenticateSocket(ticket, token, bearer), principal ->
                              principal.isEmpty() ? complete(unauthorized()) : open(principal.get(), upgrade)))));
            })));
  }

  private Route open(Principal principal, WebSocketUpgrade upgrade) {
    return onSuccess(sockets.open(principal, upgrade), (Optional<HttpResponse> accepted) -> complete(accepted.orElseGet(
        () -> ApiResponses.error(ErrorCode.RATE_LIMITED, "this user holds as many sockets as allowed; close one"))));
  }

  private static HttpResponse unauthorized() {
    return ApiResponses.error(ErrorCode.UNAUTHORIZED, "a valid ticket or token is required");
  }
}
