package pekkochat.transport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One accepted TCP connection as a stream stage: bytes pushed in are written to the socket, bytes
 * read from it come out. It runs inside the connection's own stream (Pekko HTTP's server layer
 * and, after an upgrade, the socket's FrameLayer) and writes from that stream's thread straight to
 * the non-blocking channel. Pekko's TCP stage instead hands every write to a TCP connection actor
 * and waits for its acknowledgement: two more mailbox hops per frame, and one more actor per
 * socket (docs/performance.md).
 *
 * <p>Close semantics follow Pekko's server TCP stage without half-close: the peer's FIN completes
 * the read side and writing goes on until the server layer finishes; finishing the write side or
 * cancelling the read side closes the connection once pending bytes are written; a failure on
 * either side aborts it (RST), which is how a socket whose client stopped reading is torn down.
 */
final class SocketStage extends GraphStage<FlowShape<ByteString, ByteString>> {
  private final Inlet<ByteString> toNetwork = Inlet.create("SocketStage.toNetwork");
  private final Outlet<ByteString> fromNetwork = Outlet.create("SocketStage.fromNetwork");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(toNetwork, fromNetwork);
  private final SocketChannel channel;
  private final SelectorLoop loop;
  private final ReadBuffers readBuffers;
  private final Runnable onClosed;

  SocketStage(SocketChannel channel, SelectorLoop loop, ReadBuffers readBuffers, Runnable onClosed) {
    this.channel = channel;
    this.loop = loop;
    this.readBuffers = readBuffers;
    this.onClosed = onClosed;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {
    private SelectionKey key;
    /** The rest of a write the socket did not take at once; null when none waits. */
    private ByteBuffer[] pending;
    /** Close once {@link #pending} is written: the write side finished or the read side was cancelled. */
    private boolean closeWhenWritten;

    Logic() {
      super(shape);
      setHandler(toNetwork, new AbstractInHandler() {
        @Override
        public void onPush() {
          write(buffers(grab(toNetwork)));
        }

        @Override
        public void onUpstreamFinish() {
          closeOnceWritten();
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          abort();
          failStage(cause);
        }
      });
      setHandler(fromNetwork, new AbstractOutHandler() {
        @Override
        public void onPull() {
          read();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          if (cause instanceof SubscriptionWithCancelException.NonFailureCancellation) {
            closeOnceWritten();
          } else {
            abort();
            failStage(cause);
          }
        }
      });
    }

    @Override
    public void preStart() {
      AsyncCallback<Integer> ready = createAsyncCallback(this::onReady);
      try {
        key = loop.register(channel, ready::invoke);
      } catch (ClosedChannelException e) {
        failStage(e);
        return;
      }
      pull(toNetwork);
    }

    @Override
    public void postStop() {
      close();
      onClosed.run();
    }

    private void onReady(int readyOps) {
      if ((readyOps & SelectionKey.OP_WRITE) != 0 && pending != null) write(pending);
      if ((readyOps & SelectionKey.OP_READ) != 0 && isAvailable(fromNetwork)) read();
    }

    private void read() {
      ByteBuffer buffer = readBuffers.get();
      int read;
      try {
        read = channel.read(buffer);
      } catch (IOException e) {
        abort();
        failStage(e);
        return;
      }
      if (read > 0) {
        buffer.flip();
        push(fromNetwork, ByteString.fromByteBuffer(buffer));
      } else if (read == 0) {
        loop.arm(key, SelectionKey.OP_READ);
      } else {
        complete(fromNetwork); // the peer's FIN: what the server layer still writes goes out
      }
    }

    private void write(ByteBuffer[] buffers) {
      try {
        while (remaining(buffers) && channel.write(buffers) > 0) {
          // the socket took some: offer it the rest at once
        }
      } catch (IOException e) {
        abort();
        failStage(e);
        return;
      }
      if (remaining(buffers)) {
        pending = buffers;
        loop.arm(key, SelectionKey.OP_WRITE);
        return;
      }
      pending = null;
      if (closeWhenWritten) {
        completeStage();
      } else if (!isClosed(toNetwork) && !hasBeenPulled(toNetwork)) {
        pull(toNetwork);
      }
    }

    private void closeOnceWritten() {
      closeWhenWritten = true;
      if (pending == null) completeStage();
    }

    /** Ends the connection with a reset, not a FIN: for a failure, and a client that stopped reading. */
    private void abort() {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException ignored) {
        // closed already
      }
      close();
    }

    private void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing is left to tell the peer
      }
      loop.closed();
    }
  }

  /** The bytes as the buffers they already are (a rope of shared frames is not copied here). */
  private static ByteBuffer[] buffers(ByteString bytes) {
    List<ByteBuffer> parts = new ArrayList<>(2);
    bytes.getByteBuffers().forEach(parts::add);
    return parts.toArray(new ByteBuffer[0]);
  }

  private static boolean remaining(ByteBuffer[] buffers) {
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) return true;
    }
    return false;
  }
}
