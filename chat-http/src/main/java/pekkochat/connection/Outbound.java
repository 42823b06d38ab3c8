package pekkochat.connection;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.util.ByteString;

/**
 * A socket's bounded outbound queue and its signals to the socket's stream ({@link FrameLayer}).
 * The connection offers ready UTF-8 bytes; offering never blocks: a full queue means the client
 * does not keep up, and only its own socket pays (PROTOCOL.md section 5, slow_consumer). The
 * stream takes a backlog as one newline-separated frame of at most {@code maxFrameBytes}.
 *
 * <p>The queue lives inside the socket's own stream: an offer wakes that stream's stage directly
 * (one asynchronous boundary), at most once until the stage has looked at the queue again.
 */
final class Outbound {
  enum Offer { ACCEPTED, FULL, CLOSED }

  /** What the stage is woken for. */
  enum Signal { DATA, CLOSE, ABORT, RESUME, PING }

  /** How the stage is woken: its async callback, once it runs. */
  interface Stage {
    void signal(Signal signal);
  }


  private record Item(ByteString bytes, long persistedAtNanos) {}

  private static final ByteString NEWLINE = ByteString.fromString("\n");

  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final int capacity;
  private final int maxFrameBytes;
  private final SocketMetrics metrics;
  private final int sampleEvery;
  private final Heartbeat heartbeat;
  /** Frames with live events written; every {@code sampleEvery}-th is timed. Stage-owned. */
  private int liveFrames;
  private volatile Stage stage;
  /** The closing frame, once the connection closes the socket. */
  private volatile ByteString closing;
  private volatile boolean aborted;

  Outbound(SocketSettings settings, SocketMetrics metrics, Heartbeat heartbeat) {
    this.capacity = settings.outboundQueueSize();
    this.maxFrameBytes = settings.maxServerFrameBytes();
    this.metrics = metrics;
    this.sampleEvery = settings.latencySampleEvery();
    this.heartbeat = heartbeat;
  }

  // ---- the connection's side ----

  /** Queues one server object; {@code persistedAtNanos} is 0 unless it is a live event. */
  Offer offer(ByteString utf8, long persistedAtNanos) {
    if (closing != null) return Offer.CLOSED;
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return Offer.FULL;
    }
    queue.add(new Item(utf8, persistedAtNanos));
    Stage s = stage;
    if (s != null && wakePending.compareAndSet(false, true)) s.signal(Signal.DATA);
    return Offer.ACCEPTED;
  }

  /** Drops the backlog and sends {@code closingFrame} as the last frame, then the close frame. */
  void close(ByteString closingFrame) {
    if (closing != null) return;
    closing = closingFrame;
    signal(Signal.CLOSE);
  }

  /** Tears the socket down at once: for a client that did not take its closing frame in time. */
  void abort() {
    aborted = true;
    signal(Signal.ABORT);
  }

  /** The connection took the last text message: the socket may read the next. */
  void resume() {
    signal(Signal.RESUME);
  }

  /** From the node's shared heartbeat. */
  void ping() {
    signal(Signal.PING);
  }

  private void signal(Signal signal) {
    Stage s = stage;
    if (s != null) s.signal(signal);
  }

  /** Events waiting; read by the queue-depth gauges from any thread. */
  int queued() {
    return size.get();
  }

  // ---- the stream's side ----

  /** The socket's stream runs: from here on offers wake it. Acts on what came before. */
  void attach(Stage running) {
    stage = running;
    heartbeat.add(this);
    if (aborted) running.signal(Signal.ABORT);
    else if (closing != null) running.signal(Signal.CLOSE);
    else if (!queue.isEmpty()) running.signal(Signal.DATA);
  }

  void detach() {
    heartbeat.remove(this);
  }

  /** The stage is looking at the queue: the next offer wakes it again. */
  void woken() {
    wakePending.set(false);
  }

  ByteString closingFrame() {
    queue.clear();
    return closing;
  }

  /** The next frame: the queued objects that fit, newline-separated, or null when none waits. */
  ByteString nextFrame() {
    Item first = queue.poll();
    if (first == null) return null;
    int taken = 1;
    ByteString frame = first.bytes();
    long oldestLive = first.persistedAtNanos();
    Item next;
    while ((next = queue.peek()) != null && frame.size() + 1 + next.bytes().size() <= maxFrameBytes) {
      queue.poll();
      taken++;
      frame = frame.concat(NEWLINE).concat(next.bytes());
      if (oldestLive == 0) oldestLive = next.persistedAtNanos();
    }
    size.addAndGet(-taken);
    metrics.frameOut();
    // the latency timer is fed a sample, per frame, not per delivery
    if (oldestLive > 0 && ++liveFrames % sampleEvery == 0) metrics.delivered(oldestLive, pekkochat.common.EpochNanos.now());
    return frame;
  }
}
