package pekkochat.connection;

import java.util.ArrayList;
import java.util.List;
import pekkochat.fanout.DirectFeed;
import pekkochat.room.EncodedEvent;

/**
 * One room a socket joined. Live events that arrive while the catch-up streams are held, then
 * everything is written in seq order, each seq once (DESIGN.md rule 6). A hole in the live seqs
 * means the room's subscription was lost: the socket subscribes again from the last seq it wrote.
 *
 * <p>Once live, the node relay writes the next events itself ({@link #offerLive}, on the relay's
 * thread); everything else comes from the socket's actor. So every method holds this object's
 * lock, which neither side holds for more than one event or one catch-up chunk.
 */
final class RoomSubscription implements DirectFeed {
  /**
   * JOINING until the room answers; ANNOUNCING while the {@code joined} frame is being made
   * (catch-up chunks wait); CATCHING_UP; LIVE.
   */
  enum Phase { JOINING, ANNOUNCING, CATCHING_UP, LIVE }

  private record Chunk(List<EncodedEvent> events, boolean last) {}

  /** Where this socket's events go; false when the socket will not take more. */
  interface Sink {
    boolean write(EncodedEvent event);
  }

  enum Outcome { OK, GAP, OVERFLOW }

  private final String room;
  private final String joinRef;
  /** The refs of the client's further joins of this room sent before its {@code joined}: the same answer answers them. */
  private final List<String> laterJoinRefs = new ArrayList<>();
  private final int maxHeld;
  /** Where the relay writes: the socket's queue, refusing (never closing) when it is full. */
  private final Sink direct;
  private Phase phase = Phase.JOINING;
  /** The socket left the room, or joined it again: the relay's events go to the actor, which drops them. */
  private boolean stopped;
  private boolean resubscribing;
  private long delivered = -1;
  /** When this (re)subscription was asked for, for the catch-up time metric. */
  private long subscribedNanos = System.nanoTime();
  private final List<EncodedEvent> held = new ArrayList<>();
  private final List<Chunk> waitingChunks = new ArrayList<>();

  RoomSubscription(String room, String joinRef, int maxHeld, Sink direct) {
    this.room = room;
    this.joinRef = joinRef;
    this.maxHeld = maxHeld;
    this.direct = direct;
  }

  /**
   * The relay's way in: the next seq of a live subscription, if the socket's queue takes it. A
   * catch-up still running, a gap, a full queue, a revoking event or a stopped subscription is
   * the actor's to decide: refused here, it reaches {@link #live} there.
   */
  @Override
  public synchronized boolean offerLive(EncodedEvent e) {
    if (stopped || phase != Phase.LIVE || e.revokes() != null) return false;
    if (e.seq() <= delivered) return true;
    if (e.seq() != delivered + 1 || !direct.write(e)) return false;
    delivered = e.seq();
    return true;
  }

  /** No more events through {@link #offerLive}. */
  synchronized void stop() {
    stopped = true;
  }

  String room() {
    return room;
  }

  String joinRef() {
    return joinRef;
  }

  synchronized Phase phase() {
    return phase;
  }

  /** Whether the client is still waiting for this subscription's {@code joined} (not a resubscription's). */
  synchronized boolean awaitsJoined() {
    return phase == Phase.JOINING && !resubscribing || phase == Phase.ANNOUNCING;
  }

  /** A further join of this room (its ref may be null) while {@link #awaitsJoined()}. */
  synchronized void alsoAnswer(String ref) {
    laterJoinRefs.add(ref);
  }

  /** The further joins' refs, each to be answered once: the list is empty after. */
  synchronized List<String> takeLaterJoinRefs() {
    List<String> refs = List.copyOf(laterJoinRefs);
    laterJoinRefs.clear();
    return refs;
  }

  /** The seq the socket last got, or -1 before the first join answered. */
  synchronized long delivered() {
    return delivered;
  }

  /** A join this socket's server side made on its own (after a loss or a gap), not the client's. */
  synchronized boolean isResubscribing() {
    return resubscribing;
  }

  synchronized void resubscribing() {
    phase = Phase.JOINING;
    resubscribing = true;
    subscribedNanos = System.nanoTime();
  }

  synchronized long subscribedNanos() {
    return subscribedNanos;
  }

  /**
   * The room answered the join. Returns whether the client must be told with a {@code joined}
   * frame: always on its own join, and on a resubscription only if events were skipped.
   */
  synchronized boolean joined(long firstSeq) {
    boolean tell = !resubscribing || firstSeq > delivered + 1;
    if (tell) delivered = firstSeq - 1;
    resubscribing = false;
    phase = tell ? Phase.ANNOUNCING : Phase.CATCHING_UP;
    return tell;
  }

  /** The {@code joined} frame is written: the catch-up may follow. */
  synchronized Outcome announced(Sink sink) {
    phase = Phase.CATCHING_UP;
    for (Chunk chunk : waitingChunks) {
      Outcome outcome = catchUp(chunk.events(), chunk.last(), sink);
      if (outcome != Outcome.OK) {
        waitingChunks.clear();
        return outcome;
      }
    }
    waitingChunks.clear();
    return Outcome.OK;
  }

  synchronized Outcome catchUp(List<EncodedEvent> events, boolean last, Sink sink) {
    if (phase == Phase.ANNOUNCING) {
      waitingChunks.add(new Chunk(events, last));
      return Outcome.OK;
    }
    for (EncodedEvent e : events) {
      if (e.seq() > delivered) {
        if (!sink.write(e)) return Outcome.OVERFLOW;
        delivered = e.seq();
      }
    }
    if (!last) return Outcome.OK;
    phase = Phase.LIVE;
    for (EncodedEvent e : held) {
      Outcome outcome = live(e, sink);
      if (outcome != Outcome.OK) {
        held.clear();
        return outcome;
      }
    }
    held.clear();
    return Outcome.OK;
  }

  synchronized Outcome live(EncodedEvent e, Sink sink) {
    if (phase != Phase.LIVE) {
      if (held.size() >= maxHeld) return Outcome.OVERFLOW;
      held.add(e);
      return Outcome.OK;
    }
    if (e.seq() <= delivered) return Outcome.OK;
    if (e.seq() > delivered + 1) return Outcome.GAP;
    if (!sink.write(e)) return Outcome.OVERFLOW;
    delivered = e.seq();
    return Outcome.OK;
  }
}
