package pekkochat.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import pekkochat.bench.ws.WsConn;
import pekkochat.bench.ws.WsHandler;

/**
 * Reads every server object of every socket: splits frames on newlines and scans each object's
 * bytes for the few fields a measurement needs (type, clientId, ref, code, reason), without a
 * JSON parser, so that the generator's cost per delivery stays small.
 */
final class Traffic implements WsHandler {

  static final int CONNECTING = 0;
  static final int OPEN = 1;
  static final int JOINED = 2;
  static final int GONE = 3;

  private static final byte[] TYPE = bytes("\"type\":\"");
  private static final byte[] CLIENT_ID = bytes("\"clientId\":\"");
  private static final byte[] REF = bytes("\"ref\":\"");
  private static final byte[] CODE = bytes("\"code\":\"");
  private static final byte[] REASON = bytes("\"reason\":\"");

  final AtomicIntegerArray state;
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger joined = new AtomicInteger();
  final AtomicInteger gone = new AtomicInteger();
  /** connects and joins in flight are bounded; each open, join or loss gives a permit back */
  final Semaphore connectWindow;
  final Semaphore joinWindow;
  private final Map<String, LongAdder> endings = new ConcurrentHashMap<>();
  private volatile Step step;
  /** the message index of the id an IO thread parsed last, one slot per thread */
  private final int[] parsedM;

  Traffic(int sockets, int ioThreads, int connectConcurrency, int joinConcurrency) {
    this.parsedM = new int[ioThreads];
    this.state = new AtomicIntegerArray(sockets);
    this.connectWindow = new Semaphore(connectConcurrency);
    this.joinWindow = new Semaphore(joinConcurrency);
  }

  void measure(Step s) {
    this.step = s;
  }

  /** Why sockets ended: "closing:<reason>" for the server's closing frames, else how the TCP connection ended. */
  Map<String, Long> endings() {
    Map<String, Long> out = new TreeMap<>();
    endings.forEach((why, n) -> out.put(why, n.sum()));
    return out;
  }

  @Override
  public void onOpen(WsConn conn) {
    if (state.compareAndSet(conn.id(), CONNECTING, OPEN)) {
      opened.incrementAndGet();
      connectWindow.release();
    }
  }

  @Override
  public void onClose(WsConn conn, String why) {
    int before = state.getAndSet(conn.id(), GONE);
    if (before == GONE) return;
    gone.incrementAndGet();
    endings.computeIfAbsent(why.startsWith("upgrade refused") || why.startsWith("closed") ? why : why.split(":")[0],
        w -> new LongAdder()).increment();
    if (before == CONNECTING) connectWindow.release();
    if (before == OPEN) joinWindow.release();
  }

  @Override
  public void onText(WsConn conn, byte[] buf, int off, int len) {
    long now = System.nanoTime();
    int end = off + len;
    int start = off;
    for (int i = off; i <= end; i++) {
      if (i == end || buf[i] == '\n') {
        if (i > start) line(conn, buf, start, i, now);
        start = i + 1;
      }
    }
  }

  private void line(WsConn conn, byte[] b, int off, int end, long now) {
    int t = find(b, off, end, TYPE);
    if (t < 0) return;
    switch (b[t]) {
      case 'm' -> {
        if (startsWith(b, t, end, "message\"")) clientIdEvent(conn, b, off, end, now, true);
      }
      case 'a' -> {
        if (startsWith(b, t, end, "ack\"")) clientIdEvent(conn, b, off, end, now, false);
      }
      case 'j' -> {
        if (startsWith(b, t, end, "joined\"") && state.compareAndSet(conn.id(), OPEN, JOINED)) {
          joined.incrementAndGet();
          joinWindow.release();
        }
      }
      case 'e' -> {
        if (startsWith(b, t, end, "error\"")) error(conn.loopIndex(), b, off, end, now);
      }
      case 'c' -> {
        if (startsWith(b, t, end, "closing\"")) {
          endings.computeIfAbsent("closing:" + value(b, off, end, REASON), w -> new LongAdder()).increment();
        }
      }
      default -> { } // member, presence, pong, ...: not measured
    }
  }

  private void clientIdEvent(WsConn conn, byte[] b, int off, int end, long now, boolean delivery) {
    Step s = step;
    if (s == null) return;
    if (delivery) s.read(now);
    int c = find(b, off, end, CLIENT_ID);
    if (c < 0) return;
    int loop = conn.loopIndex();
    long sendNanos = parseId(loop, s, b, c, end);
    if (sendNanos < 0) return;
    int m = parsedM[loop];
    if (delivery) s.delivery(loop, m, sendNanos, now);
    else s.ack(loop, m, sendNanos, now);
  }

  private void error(int loop, byte[] b, int off, int end, long now) {
    String code = value(b, off, end, CODE);
    Step s = step;
    int r = find(b, off, end, REF);
    if (s == null || r < 0) return;
    long sendNanos = parseId(loop, s, b, r, end);
    if (sendNanos >= 0) s.refusal(parsedM[loop], sendNanos, now, code);
  }

  /**
   * Parses {@code tag.m.nanos"} at {@code p}: returns the nanos and leaves m in the thread's
   * parsedM slot, or -1 if the id is another step's (a late answer or delivery, counted as stale).
   */
  private long parseId(int loop, Step s, byte[] b, int p, int end) {
    String tag = s.tag;
    int i = p;
    for (int k = 0; k < tag.length(); k++, i++) {
      if (i >= end || b[i] != tag.charAt(k)) {
        s.stale.increment();
        return -1;
      }
    }
    if (i >= end || b[i++] != '.') return -1;
    int m = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9') m = m * 10 + (b[i++] - '0');
    if (i >= end || b[i++] != '.') return -1;
    long nanos = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9') nanos = nanos * 10 + (b[i++] - '0');
    parsedM[loop] = m;
    return nanos;
  }

  private static String value(byte[] b, int off, int end, byte[] key) {
    int v = find(b, off, end, key);
    if (v < 0) return "?";
    int q = v;
    while (q < end && b[q] != '"') q++;
    return new String(b, v, q - v, StandardCharsets.UTF_8);
  }

  /** The index just after {@code key} in {@code b[off, end)}, or -1. */
  private static int find(byte[] b, int off, int end, byte[] key) {
    outer:
    for (int i = off; i + key.length <= end; i++) {
      if (b[i] != key[0]) continue;
      for (int j = 1; j < key.length; j++) if (b[i + j] != key[j]) continue outer;
      return i + key.length;
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int p, int end, String s) {
    if (p + s.length() > end) return false;
    for (int i = 0; i < s.length(); i++) if (b[p + i] != s.charAt(i)) return false;
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
