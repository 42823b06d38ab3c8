package pekkochat.balancer.relay;

import java.util.Optional;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEventParser$;
import org.apache.pekko.http.impl.engine.ws.FrameEventRenderer;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol$Opcode$Text$;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * The one door to Pekko HTTP's frame level (internal API, public in bytecode; see STACK.md): the
 * upgrade that hands over raw frames, its frame parser and renderer, and the few frames the
 * balancer writes itself. Everything else in the balancer sees only these methods.
 */
public final class Frames {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  /** RFC 6455 section 7.4.1: the endpoint is going away (server going down) */
  static final int GOING_AWAY = 1001;

  private Frames() {}

  /** Answers the client's upgrade with 101 and runs {@code handler} on its raw frames, as they come. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static HttpResponse accept(WebSocketUpgrade upgrade, Flow<FrameEvent, FrameEvent, ?> handler, Optional<String> subprotocol) {
    if (!(upgrade instanceof UpgradeToWebSocketLowLevel lowLevel)) {
      throw new IllegalStateException("Pekko HTTP's upgrade has no frame level here: " + upgrade.getClass());
    }
    Graph raw = handler;
    return lowLevel.handleFrames((Graph<FlowShape<FrameEvent, FrameEvent>, Object>) raw, Option.apply(subprotocol.orElse(null)));
  }

  /** Bytes to frame events, split where frames (and the reads) end; payloads are not touched. */
  public static Flow<ByteString, FrameEvent, ?> parser() {
    return Flow.<ByteString>create().via(FrameEventParser$.MODULE$);
  }

  /** Frame events back to bytes: a frame's header as parsed (mask included), its payload as it came. */
  public static Flow<FrameEvent, ByteString, ?> renderer() {
    return Flow.<FrameEvent>create().via(new FrameEventRenderer());
  }

  static int opcode(FrameHeader header) {
    return header.opcode().code();
  }

  /** ping, pong and close (RFC 6455 section 5.5) */
  static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  static FrameStart wholeFrame(FrameHeader header, ByteString payload) {
    return new FrameStart(header, payload);
  }

  static FrameStart text(ByteString utf8) {
    return FrameEvent$.MODULE$.fullFrame(Protocol$Opcode$Text$.MODULE$, Option.empty(), utf8, true, false, false, false);
  }

  static FrameStart close(int code, String reason) {
    return FrameEvent$.MODULE$.closeFrame(code, reason, Option.empty());
  }
}
