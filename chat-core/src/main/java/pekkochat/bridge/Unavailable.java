package pekkochat.bridge;

import pekkochat.room.Refusal;
import pekkochat.room.RoomProtocol;

/** The answer to a command whose room's writer cannot be reached: the client retries it. */
final class Unavailable {
  private Unavailable() {}

  static void answer(String roomId, RoomProtocol.Command command, String why) {
    if (command instanceof RoomProtocol.Request request) {
      request.replyTo().tell(new RoomProtocol.Rejected(Refusal.UNAVAILABLE, why));
    } else if (command instanceof RoomProtocol.Join join) {
      join.replyTo().tell(new RoomProtocol.JoinRefused(roomId, Refusal.UNAVAILABLE, why));
    }
  }

  /** Whether {@code command} has an asker that waits for an answer. */
  static boolean expectsReply(RoomProtocol.Command command) {
    return command instanceof RoomProtocol.Request || command instanceof RoomProtocol.Join;
  }

  /** The last answer a command gets: a join's ends with its refusal or its last catch-up part. */
  static boolean isFinal(Object reply) {
    if (reply instanceof RoomProtocol.Joined || reply instanceof RoomProtocol.JoinedMembers) return false;
    return !(reply instanceof RoomProtocol.CatchUp catchUp) || catchUp.last();
  }
}
