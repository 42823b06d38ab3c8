package pekkochat.connection;

import java.util.ArrayList;
import java.util.List;
import pekkochat.room.EncodedEvent;

/**
 * One room a socket joined. Live events that arrive while the catch-up streams are held, then
 * everything is written in seq order, each seq once (DESIGN.md rule 6). A hole in the live seqs
 * means the room's subscription was lost: the socket subscribes again from the last seq it wrote.
 */
final class RoomSubscription {
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
  private final int maxHeld;
  private Phase phase = Phase.JOINING;
  private boolean resubscribing;
  private long delivered = -1;
  /** When this (re)subscription was asked for, for the catch-up time metric. */
  private long subscribedNanos = System.nanoTime();
  private final List<EncodedEvent> held = new ArrayList<>();
  private final List<Chunk> waitingChunks = new ArrayList<>();

  RoomSubscription(String room, String joinRef, int maxHeld) {
    this.room = room;
    this.joinRef = joinRef;
    this.maxHeld = maxHeld;
  }

  String room() {
    return room;
  }

  String joinRef() {
    return joinRef;
  }

  Phase phase() {
    return phase;
  }

  /** The seq the socket last got, or -1 before the first join answered. */
  long delivered() {
    return delivered;
  }

  /** Subscribing again after a loss: the next join answer resumes after {@link #delivered()}. */
  /** A join this socket's server side made on its own (after a loss or a gap), not the client's. */
  boolean isResubscribing() {
    return resubscribing;
  }

  void resubscribing() {
    phase = Phase.JOINING;
    resubscribing = true;
    subscribedNanos = System.nanoTime();
  }

  long subscribedNanos() {
    return subscribedNanos;
  }

  /**
   * The room answered the join. Returns whether the client must be told with a {@code joined}
   * frame: always on its own join, and on a resubscription only if events were skipped.
   */
  boolean joined(long firstSeq) {
    boolean tell = !resubscribing || firstSeq > delivered + 1;
    if (tell) delivered = firstSeq - 1;
    resubscribing = false;
    phase = tell ? Phase.ANNOUNCING : Phase.CATCHING_UP;
    return tell;
  }

  /** The {@code joined} frame is written: the catch-up may follow. */
  Outcome announced(Sink sink) {
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

  Outcome catchUp(List<EncodedEvent> events, boolean last, Sink sink) {
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

  Outcome live(EncodedEvent e, Sink sink) {
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
