package pekkochat.fanout;

import pekkochat.room.EncodedEvent;

/**
 * A subscribed socket's own way in for live events, which the relay calls on its own thread
 * instead of telling the socket's actor: one asynchronous boundary less per delivery (issue 8).
 * It takes an event only when that is the whole of the work: the next seq of a live
 * subscription, and room for it in the socket's queue. Anything else (a catch-up still running,
 * a gap, a full queue, an event that revokes a membership) it refuses, and the relay tells the
 * actor, which decides as before. Implementations are safe to call from any thread.
 */
public interface DirectFeed {
  /** True when {@code event} is written (or was written already); false: tell the actor. */
  boolean offerLive(EncodedEvent event);
}
