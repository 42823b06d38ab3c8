package pekkochat.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one paced load step saw, message by message: message {@code m}'s clientId is
 * {@code tag.m.sendNanos}, so a receiver needs no lookup to know its send time. Messages
 * {@code m < warmup} are not measured. Recorded from the IO threads (one histogram each).
 */
final class Step {

  static final int PENDING = 0;
  static final int ACKED = 1;
  static final int REFUSED = 2;

  final String tag;
  final int warmup;
  final int messages;
  final AtomicIntegerArray delivered;
  final AtomicIntegerArray answer;
  final Histogram[] latency;
  final Histogram[] ackWait;
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final LongAdder deliveriesInWindow = new LongAdder();
  final LongAdder stale = new LongAdder();
  final AtomicLong maxReplyNanos = new AtomicLong();
  final long windowStart;
  final long windowEnd;

  Step(String tag, int warmup, int messages, int ioThreads, long windowStart, long windowEnd) {
    this.tag = tag;
    this.warmup = warmup;
    this.messages = messages;
    this.delivered = new AtomicIntegerArray(messages);
    this.answer = new AtomicIntegerArray(messages);
    this.latency = new Histogram[ioThreads];
    this.ackWait = new Histogram[ioThreads];
    for (int i = 0; i < ioThreads; i++) {
      latency[i] = new Histogram();
      ackWait[i] = new Histogram();
    }
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }

  String clientId(int m, long sendNanos) {
    return tag + '.' + m + '.' + sendNanos;
  }

  /** Every message read in the window counts towards the server's throughput, this step's or an earlier one's. */
  void read(long now) {
    if (now >= windowStart && now < windowEnd) deliveriesInWindow.increment();
  }

  void delivery(int loop, int m, long sendNanos, long now) {
    if (m < warmup || m >= messages) return;
    delivered.incrementAndGet(m);
    latency[loop].recordNanos(now - sendNanos);
  }

  void ack(int loop, int m, long sendNanos, long now) {
    reply(m, sendNanos, now, ACKED);
    if (m >= warmup && m < messages) ackWait[loop].recordNanos(now - sendNanos);
  }

  void refusal(int m, long sendNanos, long now, String code) {
    if (m >= warmup && m < messages) errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    reply(m, sendNanos, now, REFUSED);
  }

  private void reply(int m, long sendNanos, long now, int kind) {
    if (m < 0 || m >= messages) return;
    answer.compareAndSet(m, PENDING, kind);
    if (m >= warmup) maxReplyNanos.accumulateAndGet(now - sendNanos, Math::max);
  }

  /** Measured messages answered (acked or refused) so far, of {@code sent}. */
  int answered(int sent) {
    int n = 0;
    for (int m = warmup; m < sent; m++) if (answer.get(m) != PENDING) n++;
    return n;
  }

  long measuredDeliveries(int sent, boolean ackedOnly) {
    long n = 0;
    for (int m = warmup; m < sent; m++) if (!ackedOnly || answer.get(m) == ACKED) n += delivered.get(m);
    return n;
  }

  /** The newest measured message still unanswered, or -1. */
  int lastUnanswered(int sent) {
    for (int m = sent - 1; m >= warmup; m--) if (answer.get(m) == PENDING) return m;
    return -1;
  }

  int count(int sent, int kind) {
    int n = 0;
    for (int m = warmup; m < sent; m++) if (answer.get(m) == kind) n++;
    return n;
  }

  Map<String, Long> errorCounts() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((code, n) -> out.put(code, n.sum()));
    return out;
  }
}
