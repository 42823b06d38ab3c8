package pekkochat.balancer.relay;

import java.util.List;
import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The heart of a proxied socket: frames pass both ways as they came, with demand travelling end
 * to end (one frame in flight per direction, nothing buffered but the parts of one frame).
 *
 * <p>Client to backend: every frame (masked by the client, as the backend expects) goes on as it
 * is. Backend to client: a frame goes on whole; one that arrived in several reads is held until
 * its last part, so that the client never gets a frame cut short by a backend that died in the
 * middle of writing it. (A frame over {@code maxHeldFrameBytes} streams on in parts instead.)
 *
 * <p>The backend's last word wins: its own close frame, or a {@code closing} object as its last
 * data frame, is the end the client gets. Only when the backend's connection ends without either
 * (its process died, or the balancer drains) does the relay add, between two frames, a {@code
 * closing} frame with reason {@code draining} and a close frame (1001, going away).
 */
public final class FrameRelay extends GraphStage<BidiShape<FrameEvent, FrameEvent, FrameEvent, FrameEvent>> {

  public record Settings(String backendLostMessage, String drainingMessage, long maxHeldFrameBytes) {}

  private final Inlet<FrameEvent> fromClient = Inlet.create("FrameRelay.fromClient");
  private final Outlet<FrameEvent> toBackend = Outlet.create("FrameRelay.toBackend");
  private final Inlet<FrameEvent> fromBackend = Inlet.create("FrameRelay.fromBackend");
  private final Outlet<FrameEvent> toClient = Outlet.create("FrameRelay.toClient");
  private final BidiShape<FrameEvent, FrameEvent, FrameEvent, FrameEvent> shape = BidiShape.of(fromClient, toBackend, fromBackend, toClient);
  private final Settings settings;

  public FrameRelay(Settings settings) {
    this.settings = settings;
  }

  @Override
  public BidiShape<FrameEvent, FrameEvent, FrameEvent, FrameEvent> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {
    /** the client sent its close frame, or its side ended: nothing more is owed to it */
    private boolean clientDone;
    /** the backend's close frame went to the client */
    private boolean backendClosed;
    /** the last data frame the client got was a closing object */
    private boolean lastWasClosing;
    /** a backend frame whose parts are being held, and the parts so far */
    private FrameHeader heldHeader;
    private ByteString held;
    /** a frame too large to hold is passing in parts */
    private boolean streaming;

    Logic() {
      super(shape);
      setHandler(fromClient, new AbstractInHandler() {
        @Override
        public void onPush() {
          FrameEvent frame = grab(fromClient);
          if (frame instanceof FrameStart start && Frames.opcode(start.header()) == Frames.CLOSE) clientDone = true;
          // a backend that can take no more writes is about to end its side, which decides what follows
          if (isClosed(toBackend)) pull(fromClient);
          else push(toBackend, frame);
        }

        @Override
        public void onUpstreamFinish() {
          clientDone = true;
          complete(toBackend);
        }

        @Override
        public void onUpstreamFailure(Throwable error) {
          completeStage();
        }
      });
      setHandler(toBackend, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pullClient();
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          pullClient();
        }
      });
      setHandler(fromBackend, new AbstractInHandler() {
        @Override
        public void onPush() {
          onBackendFrame(grab(fromBackend));
        }

        @Override
        public void onUpstreamFinish() {
          backendEnded(settings.backendLostMessage());
        }

        @Override
        public void onUpstreamFailure(Throwable error) {
          backendEnded(error instanceof Draining ? settings.drainingMessage() : settings.backendLostMessage());
        }
      });
      setHandler(toClient, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (!hasBeenPulled(fromBackend) && !isClosed(fromBackend)) pull(fromBackend);
        }
      });
    }

    private void pullClient() {
      if (!hasBeenPulled(fromClient) && !isClosed(fromClient)) pull(fromClient);
    }

    private void onBackendFrame(FrameEvent frame) {
      if (frame instanceof FrameStart start) {
        if (start.lastPart()) {
          deliver(start);
        } else if (start.header().length() > settings.maxHeldFrameBytes()) {
          streaming = true;
          lastWasClosing = false;
          push(toClient, start);
        } else {
          heldHeader = start.header();
          held = start.data();
          pull(fromBackend);
        }
        return;
      }
      FrameData part = (FrameData) frame;
      if (streaming) {
        streaming = !part.lastPart();
        push(toClient, part);
      } else {
        held = held.concat(part.data());
        if (!part.lastPart()) {
          pull(fromBackend);
          return;
        }
        FrameStart whole = Frames.wholeFrame(heldHeader, held);
        heldHeader = null;
        held = null;
        deliver(whole);
      }
    }

    private void deliver(FrameStart frame) {
      int opcode = Frames.opcode(frame.header());
      if (opcode == Frames.CLOSE) {
        backendClosed = true;
      } else if (!Frames.isControl(opcode)) {
        lastWasClosing = opcode == Frames.TEXT && frame.header().fin() && ClosingFrame.isClosing(frame.data());
      }
      push(toClient, frame);
    }

    private void backendEnded(String message) {
      // after a close either way, or in the middle of a frame that streams, nothing may follow
      if (backendClosed || clientDone || streaming || isClosed(toClient)) {
        completeStage();
        return;
      }
      FrameStart close = Frames.close(Frames.GOING_AWAY, "");
      List<FrameEvent> last = lastWasClosing ? List.of(close) : List.of(Frames.text(ClosingFrame.draining(message)), close);
      emitMultiple(toClient, last.iterator(), this::completeStage);
    }
  }
}
