package pekkochat.connection;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * The socket's WebSocket protocol, at the frame level: the only class that touches Pekko HTTP's
 * internal frame API ({@code UpgradeToWebSocketLowLevel.handleFrames}), so a Pekko HTTP upgrade
 * breaks {@code FrameLayerTest}, not the node. Pekko's message layer did this work before
 * (docs/websocket-frames.md): it unmasks client frames, reassembles fragmented text messages
 * up to a limit, checks their UTF-8, answers pings, runs the close handshake, and writes the
 * {@link Outbound}'s ready bytes as text frames without copying or encoding them again.
 */
final class FrameLayer extends GraphStage<FlowShape<FrameEvent, FrameEvent>> {

  /** The socket's owner: what arrived, one text message at a time. */
  interface Receiver {
    /** A whole text message; reading pauses until {@link Outbound#resume()}. */
    void text(String text);

    /** A message the protocol refuses (binary, too large, not UTF-8): reading stops. */
    void refused(CloseReason reason);

    /** The socket is gone, whichever side ended it. */
    void ended();
  }

  private static final int CLOSE_NORMAL = 1000;
  private static final int CLOSE_PROTOCOL_ERROR = 1002;
  private static final RuntimeException ABORTED =
      new RuntimeException("socket aborted: its close did not complete in time", null, false, false) {};
  private static final FrameStart PING = control(Protocol.Opcode$.MODULE$.forCode((byte) 0x9), ByteString.emptyByteString());

  /** Upgrades the request: the socket's frames go through {@code layer}. */
  @SuppressWarnings("unchecked") // Scala's Graph[_, Any] is Java's Graph<_, Object>; the value is unused
  static HttpResponse accept(WebSocketUpgrade upgrade, FrameLayer layer) {
    if (!(upgrade instanceof UpgradeToWebSocketLowLevel lowLevel)) {
      throw new IllegalStateException("Pekko HTTP's upgrade has no frame-level handler: " + upgrade.getClass());
    }
    Graph<FlowShape<FrameEvent, FrameEvent>, Object> handler = (Graph<FlowShape<FrameEvent, FrameEvent>, Object>) (Graph<?, ?>) layer;
    return lowLevel.handleFrames(handler, Option.empty());
  }

  private final Inlet<FrameEvent> in = Inlet.create("FrameLayer.in");
  private final Outlet<FrameEvent> out = Outlet.create("FrameLayer.out");
  private final FlowShape<FrameEvent, FrameEvent> shape = FlowShape.of(in, out);
  private final Outbound outbound;
  private final Receiver receiver;
  private final int maxMessageBytes;

  FrameLayer(Outbound outbound, Receiver receiver, int maxMessageBytes) {
    this.outbound = outbound;
    this.receiver = receiver;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public FlowShape<FrameEvent, FrameEvent> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private static FrameStart control(Protocol.Opcode opcode, ByteString payload) {
    return FrameEvent.fullFrame(opcode, Option.empty(), payload, true, false, false, false);
  }

  private static FrameStart text(ByteString payload) {
    return FrameEvent.fullFrame(Protocol.Opcode$.MODULE$.forCode((byte) 0x1), Option.empty(), payload, true, false, false, false);
  }

  private final class Logic extends GraphStageLogic {
    // the frame being read: its opcode, payload bytes still to come, and mask position
    private int frameOpcode;
    private boolean frameFin;
    private int mask;
    private long maskOffset;
    private ByteString controlPayload = ByteString.emptyByteString();
    // the text message being reassembled from its frames (null: none)
    private ByteString message;
    private CharsetDecoder utf8;
    /** A refused message, or the close handshake: client data is dropped from here on. */
    private boolean discarding;
    private boolean paused;
    private boolean closeSent;

    Logic() {
      super(shape);
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          onFrameEvent(grab(in));
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          writeNext();
        }
      });
    }

    @Override
    public void preStart() {
      AsyncCallback<Outbound.Signal> callback = createAsyncCallback(this::onSignal);
      outbound.attach(callback::invoke);
      pull(in);
    }

    @Override
    public void postStop() {
      outbound.detach();
      receiver.ended();
    }

    private void onSignal(Outbound.Signal signal) {
      switch (signal) {
        case DATA -> {
          outbound.woken();
          if (isAvailable(out)) writeNext();
        }
        case CLOSE -> sendClose();
        // failing, not completing: a completed stream waits for its writes, a stuck client never
        // takes them, and only an upstream failure makes Pekko's TCP stage abort the connection
        case ABORT -> failStage(ABORTED);
        case RESUME -> {
          paused = false;
          if (!hasBeenPulled(in) && !isClosed(in)) pull(in);
        }
        case PING -> {
          if (!closeSent) emit(out, PING);
        }
      }
    }

    private void writeNext() {
      if (closeSent) return;
      ByteString frame = outbound.nextFrame();
      if (frame != null) push(out, text(frame));
    }

    /** The owner's closing frame, then the close frame; then the client's close ends the socket. */
    private void sendClose() {
      if (closeSent) return;
      ByteString closing = outbound.closingFrame();
      discarding = true;
      closeSent = true;
      emit(out, text(closing));
      emit(out, FrameEvent.closeFrame(CLOSE_NORMAL, "", Option.empty()));
      if (isClosed(in)) completeStage();
    }

    private void onFrameEvent(FrameEvent event) {
      if (event instanceof FrameStart start) {
        if (!startFrame(start.header())) return;
      }
      boolean frameDone = event.lastPart();
      if (isControl(frameOpcode)) {
        controlPayload = controlPayload.concat(unmask(event.data()));
        if (frameDone) onControl(controlPayload);
      } else if (!discarding) {
        message = message.concat(unmask(event.data()));
        if (frameDone && frameFin) onMessage();
      }
      if (!paused && !isClosed(in) && !hasBeenPulled(in)) pull(in);
    }

    /** Checks a frame's header; false when the frame fails the connection. */
    private boolean startFrame(FrameHeader header) {
      int opcode = header.opcode().code();
      if (header.mask().isEmpty() || header.rsv1() || header.rsv2() || header.rsv3()) return protocolError();
      frameOpcode = opcode;
      frameFin = header.fin();
      mask = (Integer) header.mask().get();
      maskOffset = 0;
      if (isControl(opcode)) {
        if (header.length() > 125 || !header.fin() || opcode > 0xA) return protocolError();
        controlPayload = ByteString.emptyByteString();
        return true;
      }
      if (discarding) return true;
      boolean inMessage = message != null;
      if (opcode == 0x0 && !inMessage || (opcode == 0x1 || opcode == 0x2) && inMessage || opcode > 0x2) {
        return protocolError();
      }
      if (opcode == 0x2) return refuse(CloseReason.BINARY_FRAME);
      if (opcode == 0x1) message = ByteString.emptyByteString();
      if (message.size() + header.length() > maxMessageBytes) return refuse(CloseReason.TOO_LARGE);
      return true;
    }

    private ByteString unmask(ByteString masked) {
      if (masked.isEmpty()) return masked;
      byte[] bytes = masked.toArray();
      for (int i = 0; i < bytes.length; i++) {
        int shift = 24 - 8 * (int) ((maskOffset + i) & 3);
        bytes[i] ^= (byte) (mask >>> shift);
      }
      maskOffset += bytes.length;
      return ByteString.fromArrayUnsafe(bytes);
    }

    private void onMessage() {
      ByteString complete = message;
      message = null;
      if (utf8 == null) {
        utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
      }
      String text;
      try {
        text = utf8.reset().decode(complete.asByteBuffer()).toString();
      } catch (CharacterCodingException e) {
        refuse(CloseReason.INVALID_TEXT);
        return;
      }
      paused = true;
      receiver.text(text);
    }

    private void onControl(ByteString payload) {
      switch (frameOpcode) {
        case 0x9 -> {
          if (!closeSent) emit(out, control(Protocol.Opcode$.MODULE$.forCode((byte) 0xA), payload));
        }
        case 0x8 -> onPeerClose(payload);
        default -> { } // a pong: the client is alive, which the bytes moving already showed
      }
    }

    /** RFC 6455 5.5.1: echo the client's close (if we have not sent ours), then end the socket. */
    private void onPeerClose(ByteString payload) {
      if (closeSent) {
        completeStage();
        return;
      }
      closeSent = true;
      int code = CLOSE_NORMAL;
      if (payload.size() == 1) code = CLOSE_PROTOCOL_ERROR;
      if (payload.size() >= 2) {
        code = ((payload.apply(0) & 0xFF) << 8) | (payload.apply(1) & 0xFF);
        if (!validCloseCode(code)) code = CLOSE_PROTOCOL_ERROR;
      }
      emit(out, FrameEvent.closeFrame(code, "", Option.empty()), this::completeStage);
    }

    private boolean refuse(CloseReason reason) {
      discarding = true;
      message = null;
      receiver.refused(reason);
      return true;
    }

    /** A broken frame: fail the connection with 1002, as Pekko's message layer did. */
    private boolean protocolError() {
      discarding = true;
      closeSent = true;
      cancel(in);
      emit(out, FrameEvent.closeFrame(CLOSE_PROTOCOL_ERROR, "", Option.empty()), this::completeStage);
      return false;
    }
  }

  private static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  private static boolean validCloseCode(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1011 || code >= 3000 && code <= 4999;
  }
}
