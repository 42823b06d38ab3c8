package pekkochat.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
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
import pekkochat.wire.ErrorCode;

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
    Optional<Role> role = JsonBodies.object(body)
        .map(json -> json.path("role").asText(""))
        .flatMap(Role::fromWire)
        .filter(r -> r != Role.OWNER);
    if (role.isEmpty()) return complete(ApiResponses.error(ErrorCode.BAD_REQUEST, "role must be admin or member"));
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.ChangeReply>ask(roomId, replyTo -> new RoomActor.SetRole(principal.username(), target, role.get(), replyTo)),
        reply -> reply instanceof RoomActor.Applied
            ? ApiResponses.json(StatusCodes.OK, new RoomJson.Member(target, role.get().wireName()))
            : RoomAsk.refusal(reply)));
  }

  private Route remove(Principal principal, String roomId, String target) {
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.ChangeReply>ask(roomId, replyTo -> new RoomActor.RemoveMember(principal.username(), target, replyTo)),
        reply -> reply instanceof RoomActor.Applied ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT) : RoomAsk.refusal(reply)));
  }

  private Route createInvite(Principal principal, String roomId, String body, HttpRequest request) {
    Optional<JsonNode> json = JsonBodies.object(body);
    Optional<Long> ttl = json.map(j -> JsonBodies.positiveLong(j, "ttlSeconds")).orElse(null);
    Optional<Long> maxUses = json.map(j -> JsonBodies.positiveLong(j, "maxUses")).orElse(null);
    if (ttl == null || maxUses == null || maxUses.isPresent() && maxUses.get() > Integer.MAX_VALUE) {
      return complete(ApiResponses.error(ErrorCode.BAD_REQUEST, "ttlSeconds and maxUses must be positive integers"));
    }
    Integer uses = maxUses.map(Long::intValue).orElse(null);
    String base = PublicUrls.base(request);
    return completeWithFuture(RoomAsk.respond(
        rooms.<RoomActor.InviteReply>ask(roomId, replyTo ->
            new RoomActor.CreateInvite(principal.username(), ttl.orElse(null), uses, replyTo)),
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
