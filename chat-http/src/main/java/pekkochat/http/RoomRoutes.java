package pekkochat.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import pekkochat.auth.Principal;
import pekkochat.fanout.Rooms;
import pekkochat.presence.Presence;
import pekkochat.room.RoomActor;
import pekkochat.storage.InviteStore;
import pekkochat.storage.RoomDirectory;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.RoomIds;
import pekkochat.wire.ServerFrames;

/** {@code /api/rooms…}: rooms are created and read through their RoomActor, listed from the directory. */
public final class RoomRoutes extends AllDirectives {
  private final RoomDirectory directory;
  private final RoomAsk rooms;
  private final MemberRoutes members;
  private final InviteAndPresenceRoutes invitesAndPresence;

  public RoomRoutes(
      Rooms rooms, RoomDirectory directory, InviteStore invites, Presence presence, ActorSystem<?> system,
      Duration askTimeout) {
    this.directory = directory;
    this.rooms = new RoomAsk(rooms, system, askTimeout);
    this.members = new MemberRoutes(this.rooms);
    this.invitesAndPresence = new InviteAndPresenceRoutes(invites, this.rooms, presence);
  }

  public Route routes(Function<Function<Principal, Route>, Route> authenticated) {
    return concat(invitesAndPresence.routes(authenticated), rooms(authenticated));
  }

  private Route rooms(Function<Function<Principal, Route>, Route> authenticated) {
    return pathPrefix("api", () -> pathPrefix("rooms", () -> authenticated.apply(principal -> concat(
        pathEnd(() -> concat(
            get(() -> list(principal)),
            post(() -> entity(Unmarshaller.entityToString(), body -> create(principal, body))))),
        pathPrefix(PathMatchers.segment(), id -> RoomIds.isValid(id)
            ? concat(
                pathEnd(() -> get(() -> room(principal, id))),
                path("messages", () -> get(() -> history(principal, id))),
                members.routes(principal, id))
            : complete(ApiResponses.error(ErrorCode.NOT_FOUND, "no such room")))))));
  }

  private Route list(Principal principal) {
    return onSuccess(directory.listVisibleTo(principal.username()), listings ->
        complete(ApiResponses.json(StatusCodes.OK,
            new RoomJson.Listing(listings.stream().map(RoomJson::of).toList()))));
  }

  private Route create(Principal principal, String body) {
    JsonBodies.Decoded<JsonBodies.NewRoom> decoded = JsonBodies.newRoom(body);
    if (decoded.isBad()) return complete(decoded.badRequest());
    JsonBodies.NewRoom newRoom = decoded.value();
    String id = RoomIds.newId();
    return answer(
        rooms.<RoomActor.CreateReply>ask(id, replyTo ->
            new RoomActor.Create(newRoom.name(), newRoom.visibility(), principal.username(), replyTo)),
        reply -> reply instanceof RoomActor.RoomView view
            ? ApiResponses.json(StatusCodes.CREATED, RoomJson.of(view))
            : refusal(reply));
  }

  /** A room too big to send its members in one reply lists them from the rooms directory. */
  private Route room(Principal principal, String id) {
    CompletionStage<RoomActor.RoomReply> reply =
        rooms.<RoomActor.RoomReply>ask(id, replyTo -> new RoomActor.GetRoom(principal.username(), replyTo));
    return completeWithFuture(reply.thenCompose(r -> {
      if (!(r instanceof RoomActor.RoomView view)) return CompletableFuture.completedFuture(refusal(r));
      CompletionStage<java.util.List<RoomActor.MemberView>> members = view.members() != null
          ? CompletableFuture.completedFuture(view.members())
          : directory.membersOf(id);
      return members.thenApply(m -> ApiResponses.json(StatusCodes.OK, RoomJson.detailed(view, m)));
    }).exceptionally(failure -> ApiResponses.error(ErrorCode.UNAVAILABLE, "the room did not answer in time; retry")));
  }

  private Route history(Principal principal, String id) {
    return parameterOptional(StringUnmarshallers.LONG, "before", before ->
        parameterOptional(StringUnmarshallers.INTEGER, "limit", limit -> {
          if (before.isPresent() && before.get() < 1 || limit.isPresent() && limit.get() < 1) {
            return complete(ApiResponses.error(ErrorCode.BAD_REQUEST, "before and limit must be positive"));
          }
          return answer(
              rooms.<RoomActor.HistoryReply>ask(id, replyTo -> new RoomActor.GetHistory(
                  principal.username(), before.orElse(null), limit.orElse(null), replyTo)),
              reply -> reply instanceof RoomActor.HistoryPage page
                  ? HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, ServerFrames.eventsPage(page.events()))
                  : refusal(reply));
        }));
  }

  private <R> Route answer(CompletionStage<R> reply, Function<R, HttpResponse> toResponse) {
    return completeWithFuture(RoomAsk.respond(reply, toResponse));
  }

  private static HttpResponse refusal(Object reply) {
    return RoomAsk.refusal(reply);
  }
}
