package pekkochat.room;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** The messages a room sends itself: no one else may send them. */
final class RoomSelf {
  private RoomSelf() {}

  /** Nothing happened for {@code passivate-after}: stop if no node subscribes. */
  record Idle() implements RoomProtocol.Command {}

  /** Sent after each write: what queued up during it goes out in one write (group commit). */
  record Flush() implements RoomProtocol.Command {}

  /** An edit or delete whose target is older than the window, with the target read from the journal (null: none). */
  record TargetResolved(RoomProtocol.Command original, RoomEvent target) implements RoomProtocol.Command {}

  /** Null {@code marks}: the load failed and is tried again. */
  record MarksLoaded(Map<String, Long> marks) implements RoomProtocol.Command {}

  record LoadMarks() implements RoomProtocol.Command {}

  /** A read mark's table write finished; {@code failure} is null when it is stored. */
  record MarkStored(String user, long seq, ActorRef<RoomProtocol.ChangeReply> replyTo, Throwable failure)
      implements RoomProtocol.Command {}
}
