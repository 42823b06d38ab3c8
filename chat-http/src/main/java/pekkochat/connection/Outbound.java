package pekkochat.connection;

import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A socket's bounded outbound queue. Offering never blocks: a full queue means the client does
 * not keep up, and only its own socket pays (PROTOCOL.md section 5, slow_consumer). While the
 * socket is busy, queued events are coalesced into one newline-separated frame.
 */
final class Outbound {
  /** One server object waiting for the socket; {@code persistedAtNanos} is 0 unless live. */
  record Item(String json, long persistedAtNanos) {}

  enum Offer { ACCEPTED, FULL, CLOSED }

  /** Ends the stream: the backlog is dropped and the closing frame is the last one sent. */
  private static final class ClosingSignal extends RuntimeException {
    final String frame;

    ClosingSignal(String frame) {
      super("socket closing", null, false, false);
      this.frame = frame;
    }
  }

  /** Events of one outgoing frame. */
  private static final class Batch {
    final StringBuilder text;
    long[] persistedAt = new long[4];
    int count;

    Batch(Item first) {
      text = new StringBuilder(first.json());
      add(first.persistedAtNanos());
    }

    Batch append(Item next) {
      text.append('\n').append(next.json());
      add(next.persistedAtNanos());
      return this;
    }

    private void add(long persistedAtNanos) {
      if (count == persistedAt.length) persistedAt = java.util.Arrays.copyOf(persistedAt, count * 2);
      persistedAt[count++] = persistedAtNanos;
    }
  }

  private final BoundedSourceQueue<Item> queue;
  private final SharedKillSwitch killSwitch;

  private Outbound(BoundedSourceQueue<Item> queue, SharedKillSwitch killSwitch) {
    this.queue = queue;
    this.killSwitch = killSwitch;
  }

  /** The queue and the frames it becomes; the source is materialized once, by the socket. */
  static Pair<Outbound, Source<Message, NotUsed>> create(
      SocketSettings settings, SocketMetrics metrics, Materializer materializer) {
    Pair<BoundedSourceQueue<Item>, Source<Item, NotUsed>> queued =
        Source.<Item>queue(settings.outboundQueueSize()).preMaterialize(materializer);
    SharedKillSwitch killSwitch = KillSwitches.shared("socket");
    Source<Message, NotUsed> frames =
        queued.second()
            .batchWeighted(settings.maxFrameChars(), item -> (long) item.json().length(), Batch::new, Batch::append)
            .map(batch -> toMessage(batch, metrics))
            .recoverWithRetries(
                1,
                new PFBuilder<Throwable, Graph<SourceShape<Message>, NotUsed>>()
                    .match(ClosingSignal.class, c -> Source.single(TextMessage.create(c.frame)))
                    .build())
            .via(killSwitch.flow());
    return Pair.create(new Outbound(queued.first(), killSwitch), frames);
  }

  private static Message toMessage(Batch batch, SocketMetrics metrics) {
    metrics.frameOut();
    long nowNanos = pekkochat.common.EpochNanos.now();
    for (int i = 0; i < batch.count; i++) {
      if (batch.persistedAt[i] > 0) metrics.delivered(batch.persistedAt[i], nowNanos);
    }
    return TextMessage.create(batch.text.toString());
  }

  Offer offer(String json, long persistedAtNanos) {
    QueueOfferResult result = queue.offer(new Item(json, persistedAtNanos));
    if (result == QueueOfferResult.enqueued()) return Offer.ACCEPTED;
    if (result == QueueOfferResult.dropped()) return Offer.FULL;
    return Offer.CLOSED;
  }

  /** Drops the backlog and sends {@code closingFrame} as the last frame, then the close. */
  void close(String closingFrame) {
    queue.fail(new ClosingSignal(closingFrame));
  }

  /** Tears the socket down at once: for a client that did not take its closing frame in time. */
  void abort() {
    killSwitch.abort(new IllegalStateException("socket did not close within its grace period"));
  }
}
