package pekkochat.http;

import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import pekkochat.auth.Principal;
import pekkochat.room.InviteCodes;
import pekkochat.room.Role;
import pekkochat.room.RoomActor;

/** {@code /api/rooms/{id}/members/…} and {@code /api/rooms/{id}/invites…}: the room decides. */
final class MemberRoutes extends AllDirectives {
  private final RoomAsk rooms;

  MemberRoutes(RoomAsk rooms) {
    this.rooms = rooms;
  }

  Route routes(Principal principal, String roomId) {
    return concat(
        pathPrefix("members", () -> path(PathMatchers.segment(), target -> concat(
            put(() -> entity(Unmarshaller.entityToString(), body -> setRole(principal, roomId, target, body))),
            delete(() -> remove(principal, roomId, target))))),
        pathPrefix("invites", () -> concat(
            pathEnd(() -> post(() -> entity(Unmarshaller.entityToString(), body ->
                extractRequest(request -> createInvite(principal, roomId, body, request))))),
            path(PathMatchers.segment(), code -> delete(() -> revoke(principal, roomId, code))))));
  }

  private Route setRole(Principal principal, String roomId, String target, String body) {
    JsonBodies.Decoded<Role> decoded = JsonBodies.role(body);
    if (decoded.isBad()) return complete(decoded.badRequest());
    Role role = decoded.value();
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.ChangeReply>ask(roomId, replyTo -> new RoomActor.SetRole(principal.username(), target, role, replyTo)),
        reply -> reply instanceof RoomActor.Applied
            ? ApiResponses.json(StatusCodes.OK, new RoomJson.Member(target, role.wireName()))
            : RoomAsk.refusal(reply)));
  }

  private Route remove(Principal principal, String roomId, String target) {
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.ChangeReply>ask(roomId, replyTo -> new RoomActor.RemoveMember(principal.username(), target, replyTo)),
        reply -> reply instanceof RoomActor.Applied ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT) : RoomAsk.refusal(reply)));
  }

  private Route createInvite(Principal principal, String roomId, String body, HttpRequest request) {
    JsonBodies.Decoded<JsonBodies.InviteLimits> decoded = JsonBodies.inviteLimits(body);
    if (decoded.isBad()) return complete(decoded.badRequest());
    JsonBodies.InviteLimits limits = decoded.value();
    String base = PublicUrls.base(request);
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.InviteReply>ask(roomId, replyTo ->
            new RoomActor.CreateInvite(principal.username(), limits.ttlSeconds(), limits.maxUses(), replyTo)),
        reply -> reply instanceof RoomActor.InviteCreated created
            ? ApiResponses.json(StatusCodes.CREATED, new InviteJson(
                created.code(), base + "/invite/" + created.code(), created.expiresAt(), created.maxUses()))
            : RoomAsk.refusal(reply)));
  }

  private Route revoke(Principal principal, String roomId, String code) {
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.InviteReply>ask(roomId, replyTo ->
            new RoomActor.RevokeInvite(principal.username(), InviteCodes.hash(code), replyTo)),
        reply -> reply instanceof RoomActor.InviteRevoked
            ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)
            : RoomAsk.refusal(reply)));
  }

  /** {@code maxUses} null = unlimited; {@code expiresAt} epoch ms. */
  record InviteJson(String code, String url, long expiresAt, Integer maxUses) {}
}
