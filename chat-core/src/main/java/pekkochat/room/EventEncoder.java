package pekkochat.room;


/**
 * Turns what a room sends to clients into wire text. The core does not know the wire format;
 * the node gives its codec to the rooms, so each event is encoded once, by the room that made it.
 */
public interface EventEncoder {
  /** A timeline event. */
  String encode(SequencedEvent event);

  /** {@code typing {room,user}}: not stored, not sequenced. */
  String typing(String room, String user);

  /** {@code read {room,user,seq}}: a member's read mark moved. */
  String read(String room, String user, long seq);
}
