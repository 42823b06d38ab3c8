package pekkochat.room;

/** Why a room refused a command; the HTTP layer maps each to PROTOCOL.md's error codes. */
public enum Refusal {
  /** The command is malformed for this room (e.g. a role that cannot be given). */
  BAD_REQUEST,
  /** Not a member of a private room, role too low, not the author. */
  FORBIDDEN,
  /** No such room or event. */
  NOT_FOUND,
  /** The room already exists. */
  CONFLICT,
  /** The room could not store the change now (storage down); retry. */
  UNAVAILABLE
}
