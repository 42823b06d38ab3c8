package pekkochat.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import pekkochat.fanout.Rooms;
import pekkochat.room.RoomActor;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.Refusals;

/** REST's way to a room: ask it, and turn its answer or its silence into a response. */
final class RoomAsk {
  private final Rooms rooms;
  private final ActorSystem<?> system;
  private final Duration timeout;

  RoomAsk(Rooms rooms, ActorSystem<?> system, Duration timeout) {
    this.rooms = rooms;
    this.system = system;
    this.timeout = timeout;
  }

  <R> CompletionStage<R> ask(String roomId, Function<ActorRef<R>, RoomActor.Command> command) {
    return AskPattern.ask(rooms.room(roomId), command::apply, timeout, system.scheduler());
  }

  /** The room's answer as a response, or 503 when the room did not answer in time. */
  static <R> CompletionStage<HttpResponse> respond(CompletionStage<R> reply, Function<R, HttpResponse> toResponse) {
    return reply.handle((r, failure) -> failure == null
        ? toResponse.apply(r)
        : ApiResponses.error(ErrorCode.UNAVAILABLE, "the room did not answer in time; retry"));
  }

  /** A {@link RoomActor.Rejected} answer as its error response. */
  static HttpResponse refusal(Object reply) {
    RoomActor.Rejected rejected = (RoomActor.Rejected) reply;
    return ApiResponses.error(Refusals.code(rejected.refusal()), rejected.message());
  }
}
