package pekkochat.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import pekkochat.auth.Principal;
import pekkochat.presence.Presence;
import pekkochat.room.InviteCodes;
import pekkochat.room.RoomActor;
import pekkochat.storage.InviteStore;
import pekkochat.wire.ErrorCode;

/** {@code POST /api/invites/{code}/accept} and {@code GET /api/presence?users=a,b}. */
public final class InviteAndPresenceRoutes extends AllDirectives {
  /** Users one presence query may name, so that one request stays cheap. */
  private static final int MAX_PRESENCE_USERS = 200;

  private final InviteStore invites;
  private final RoomAsk rooms;
  private final Presence presence;

  InviteAndPresenceRoutes(InviteStore invites, RoomAsk rooms, Presence presence) {
    this.invites = invites;
    this.rooms = rooms;
    this.presence = presence;
  }

  public Route routes(Function<Function<Principal, Route>, Route> authenticated) {
    return pathPrefix("api", () -> concat(
        path(PathMatchers.segment("invites").slash(PathMatchers.segment()).slash("accept"), code ->
            post(() -> authenticated.apply(principal -> accept(principal, code)))),
        path("presence", () -> get(() -> authenticated.apply(principal ->
            parameter("users", this::lookup))))));
  }

  /**
   * A member of the room accepting its code changes nothing and takes no use. Anyone else takes
   * a use atomically in the database first; then the room admits them.
   */
  private Route accept(Principal principal, String code) {
    String hash = InviteCodes.hash(code);
    long now = System.currentTimeMillis();
    var answer = invites.roomOf(hash, now).thenCompose(room -> room.isEmpty()
        ? CompletableFuture.completedFuture(noSuchInvite())
        : rooms.<RoomActor.RoomReply>ask(room.get(), replyTo -> new RoomActor.GetRoom(principal.username(), replyTo))
            .thenCompose(reply -> reply instanceof RoomActor.RoomView view && view.callerRole() != null
                ? CompletableFuture.completedFuture(ApiResponses.json(StatusCodes.OK, RoomJson.of(view)))
                : useAndAdmit(principal, hash, now)));
    return completeWithFuture(answer.exceptionally(e ->
        ApiResponses.error(ErrorCode.UNAVAILABLE, "invites are unavailable now; retry")));
  }

  private CompletionStage<HttpResponse> useAndAdmit(Principal principal, String hash, long now) {
    return invites.use(hash, now).thenCompose(room -> room.isEmpty()
        ? CompletableFuture.completedFuture(noSuchInvite())
        : RoomAsk.respond(
            rooms.<RoomActor.RoomReply>ask(room.get(), replyTo -> new RoomActor.Admit(principal.username(), replyTo)),
            reply -> reply instanceof RoomActor.RoomView view
                ? ApiResponses.json(StatusCodes.OK, RoomJson.of(view))
                : RoomAsk.refusal(reply)));
  }

  private static HttpResponse noSuchInvite() {
    return ApiResponses.error(ErrorCode.NOT_FOUND, "no such invite, or it expired, was revoked or used up");
  }

  private Route lookup(String users) {
    List<String> names = Arrays.stream(users.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    if (names.isEmpty() || names.size() > MAX_PRESENCE_USERS) {
      return complete(ApiResponses.error(ErrorCode.BAD_REQUEST, "users must name 1 to " + MAX_PRESENCE_USERS + " users"));
    }
    return completeWithFuture(presence.lookup(names).handle((statuses, failure) -> {
      if (failure != null) return ApiResponses.error(ErrorCode.UNAVAILABLE, "presence is unavailable now; retry");
      Map<String, String> body = new LinkedHashMap<>();
      for (String name : names) body.put(name, statuses.get(name).wireName());
      return ApiResponses.json(StatusCodes.OK, body);
    }));
  }
}
