package pekkochat.wire;

/** A client frame of PROTOCOL.md section 4, parsed and checked; {@code ref} is null when absent. */
public sealed interface ClientFrame {
  String ref();

  record Join(String ref, String room, Long lastSeq) implements ClientFrame {}

  record Leave(String ref, String room) implements ClientFrame {}

  record Send(String ref, String room, String clientId, String text) implements ClientFrame {}

  record Edit(String ref, String room, long target, String text) implements ClientFrame {}

  record Delete(String ref, String room, long target) implements ClientFrame {}

  record Typing(String ref, String room) implements ClientFrame {}

  record Read(String ref, String room, long seq) implements ClientFrame {}

  record Presence(String ref, String status) implements ClientFrame {}

  record Ping(String ref) implements ClientFrame {}

  /** Not a valid frame: answered with {@code bad_request}. */
  record Invalid(String ref, String message) implements ClientFrame {}
}
