package pekkochat.room;

import pekkochat.room.RoomProtocol.Rejected;

/** The refusals rooms answer most, with the words PROTOCOL.md's clients see. */
final class Rejections {
  private Rejections() {}

  static final Rejected NO_SUCH_ROOM = new Rejected(Refusal.NOT_FOUND, "no such room");

  /** A send that reached its room after its socket's write timeout: never written. */
  static final Rejected EXPIRED =
      new Rejected(Refusal.UNAVAILABLE, "the room is behind its journal; retry with the same clientId");

  static Rejected notMember() {
    return new Rejected(Refusal.FORBIDDEN, "not a member of this room");
  }

  static Rejected noSuchMessage() {
    return new Rejected(Refusal.NOT_FOUND, "no such message, or it was deleted");
  }

  static Rejected memberRefusal(Refusal refusal) {
    return new Rejected(refusal, switch (refusal) {
      case NOT_FOUND -> "no such member";
      case BAD_REQUEST -> "the owner's role cannot be given or changed";
      default -> "your role does not allow this";
    });
  }
}
