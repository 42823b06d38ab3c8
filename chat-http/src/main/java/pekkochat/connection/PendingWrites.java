package pekkochat.connection;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import pekkochat.wire.ErrorCode;

/**
 * A socket's writes (sends, edits, deletes, read marks) that wait for their room's answer, and
 * their write timeout: one its room has not answered within {@code chat.ws.write-timeout} is
 * answered {@code unavailable} (PROTOCOL.md section 5). Every write has the same timeout, so the
 * oldest is always the next due, and one timer serves all of them. An ask timeout per write did
 * this before; at overload tens of thousands of those a second fell behind on the scheduler's one
 * thread, and their answers came up to 19 s late (docs/performance.md). Owned by its connection
 * actor; not thread-safe.
 */
final class PendingWrites {

  /** The timer's message: the oldest waiting write is due. */
  record Due() implements ConnectionActor.Command {}

  private record Pending(String ref, boolean send, long deadlineNanos) {}

  private final TimerScheduler<ConnectionActor.Command> timers;
  private final SocketWriter writer;
  private final SocketMetrics metrics;
  private final long timeoutNanos;
  private final Map<Long, Pending> byId = new LinkedHashMap<>();
  private long nextId;
  private boolean armed;

  PendingWrites(TimerScheduler<ConnectionActor.Command> timers, Duration timeout, SocketWriter writer, SocketMetrics metrics) {
    this.timers = timers;
    this.writer = writer;
    this.metrics = metrics;
    this.timeoutNanos = timeout.toNanos();
  }

  /** A write was asked of its room at {@code nowNanos}; the id names its answer. */
  long await(String ref, boolean send, long nowNanos) {
    long id = nextId++;
    byId.put(id, new Pending(ref, send, nowNanos + timeoutNanos));
    if (!armed) arm(nowNanos);
    return id;
  }

  /** The room answered write {@code id}: true if it still waited, false if it was answered unavailable already. */
  boolean answered(long id) {
    return byId.remove(id) != null;
  }

  /** The timer fired: every write past its deadline is answered unavailable, oldest first. */
  void onDue() {
    armed = false;
    long now = System.nanoTime();
    for (Iterator<Pending> it = byId.values().iterator(); it.hasNext(); ) {
      Pending late = it.next();
      if (late.deadlineNanos() - now > 0) break;
      it.remove();
      unavailable(late.ref(), late.send());
    }
    if (!byId.isEmpty()) arm(now);
  }

  /** Answers one write unavailable: at its deadline, or when its ask failed (PROTOCOL.md section 5). */
  void unavailable(String ref, boolean send) {
    if (send) {
      metrics.sendAnswered(ErrorCode.UNAVAILABLE.wireName());
      writer.error(ErrorCode.UNAVAILABLE, "the room cannot take writes now; retry with the same clientId", ref);
    } else {
      writer.error(ErrorCode.UNAVAILABLE, "the room did not answer in time; retry", ref);
    }
  }

  /** The socket is closing and its timers are cancelled: nothing is answered from here on. */
  void stop() {
    armed = false;
    byId.clear();
  }

  private void arm(long nowNanos) {
    long oldest = byId.values().iterator().next().deadlineNanos();
    timers.startSingleTimer(Due.class, new Due(), Duration.ofNanos(Math.max(0, oldest - nowNanos)));
    armed = true;
  }
}
