package pekkochat.fanout;

import pekkochat.room.SequencedEvent;

/**
 * Turns a timeline event into its wire text. The core does not know the wire format; the node
 * gives its codec to the rooms so that each event is encoded once, by the room that made it.
 */
@FunctionalInterface
public interface EventEncoder {
  String encode(SequencedEvent event);
}
