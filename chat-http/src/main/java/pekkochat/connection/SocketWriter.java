package pekkochat.connection;

import org.apache.pekko.util.ByteString;
import pekkochat.room.EncodedEvent;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.ServerFrames;

/**
 * What one connection writes to its socket. A room's events go out as the bytes the room made
 * once (shared by every socket); replies are this socket's own and are encoded here. A full
 * queue closes the socket as {@code slow_consumer}. Owned by one ConnectionActor, but for
 * {@link #offerDirect}, which only touches the thread-safe {@link Outbound}.
 */
final class SocketWriter {
  static final String SLOW = "the socket did not keep up; resume by lastSeq";

  private final Outbound outbound;
  private final ServerFrames frames;
  private final SocketMetrics metrics;
  /** Told once the socket starts closing, for whatever reason: the owner bounds the handshake. */
  private final Runnable onClosing;
  private boolean closing;

  SocketWriter(Outbound outbound, ServerFrames frames, SocketMetrics metrics, Runnable onClosing) {
    this.outbound = outbound;
    this.frames = frames;
    this.metrics = metrics;
    this.onClosing = onClosing;
  }

  /** A room's event; false when the socket will not take more. */
  boolean event(EncodedEvent event) {
    return write(event.utf8(), event.persistedAtNanos());
  }

  /**
   * A room's event from the node relay's thread (RoomSubscription.offerLive): queued, or refused
   * when the queue is full or closed, never closing anything; the actor then decides.
   */
  boolean offerDirect(EncodedEvent event) {
    return outbound.offer(event.utf8(), event.persistedAtNanos()) == Outbound.Offer.ACCEPTED;
  }

  void reply(String json) {
    write(ByteString.fromString(json), 0);
  }

  void error(ErrorCode code, String message, String ref) {
    metrics.error(code);
    reply(frames.error(code.wireName(), message, ref));
  }

  boolean closing() {
    return closing;
  }

  /** Sends the closing frame and the close, unless the socket is closing already. */
  void close(CloseReason reason, String message) {
    if (closing) return;
    closing = true;
    metrics.closedFor(reason.wire());
    outbound.close(ByteString.fromString(frames.closing(reason.wire(), message)));
    onClosing.run();
  }

  private boolean write(ByteString utf8, long persistedAtNanos) {
    if (closing) return false;
    switch (outbound.offer(utf8, persistedAtNanos)) {
      case ACCEPTED:
        return true;
      case FULL:
        close(CloseReason.SLOW_CONSUMER, SLOW);
        return false;
      default:
        return false;
    }
  }
}
