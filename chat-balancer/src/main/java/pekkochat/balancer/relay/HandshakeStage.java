package pekkochat.balancer.relay;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Reads a backend's answer to {@link UpgradeRequest} off the raw connection, and then gets out of
 * the way. A 101 is checked (RFC 6455 section 4.2.2) and answered as {@link UpgradeAnswer.Accepted};
 * the bytes after it (frames) pass on untouched. Any other status is read with its body and
 * answered as {@link UpgradeAnswer.Refused}; the stage then ends, and with it the connection.
 * The materialized answer fails on anything else (no answer in time, not HTTP, too large).
 */
public final class HandshakeStage extends AbstractGraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, CompletionStage<UpgradeAnswer>> {

  /** Bounds of one handshake. */
  public record Limits(int maxHeadBytes, int maxBodyBytes, Duration timeout) {}

  private final Inlet<ByteString> in = Inlet.create("HandshakeStage.in");
  private final Outlet<ByteString> out = Outlet.create("HandshakeStage.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final UpgradeRequest request;
  private final Limits limits;

  public HandshakeStage(UpgradeRequest request, Limits limits) {
    this.request = request;
    this.limits = limits;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, CompletionStage<UpgradeAnswer>> createLogicAndMaterializedValuePair(Attributes attributes) {
    CompletableFuture<UpgradeAnswer> answer = new CompletableFuture<>();
    return Pair.create(new Logic(answer), answer);
  }

  private final class Logic extends TimerGraphStageLogic {
    private final CompletableFuture<UpgradeAnswer> answer;
    /** bytes read and not yet used; null once the stage passes bytes through */
    private ByteString buffer = ByteString.emptyByteString();
    /** the head of a refusal, whose body is being read */
    private ResponseHead refusal;

    Logic(CompletableFuture<UpgradeAnswer> answer) {
      super(shape);
      this.answer = answer;
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          if (buffer == null) {
            push(out, grab(in));
          } else {
            buffer = buffer.concat(grab(in));
            readAnswer();
          }
        }

        @Override
        public void onUpstreamFinish() {
          if (buffer == null) {
            complete(out); // after frames still being emitted
          } else if (refusal != null && refusal.header("content-length").isEmpty() && !isChunked(refusal)) {
            refused(buffer); // the body ends with the connection
          } else {
            fail("the backend closed the connection during the upgrade");
          }
        }

        @Override
        public void onUpstreamFailure(Throwable error) {
          answer.completeExceptionally(error);
          failStage(error);
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          // before the 101 the stage reads on its own; afterwards demand comes from the client
          if (buffer != null) return;
          if (!hasBeenPulled(in)) pull(in);
        }

        @Override
        public void onDownstreamFinish(Throwable cause) {
          answer.completeExceptionally(new HandshakeFailed("the client side went away during the upgrade"));
          cancelStage(cause);
        }
      });
    }

    @Override
    public void preStart() {
      scheduleOnce("handshake", limits.timeout());
      pull(in);
    }

    @Override
    public void onTimer(Object key) {
      fail("no answer to the upgrade within " + limits.timeout());
    }

    @Override
    public void postStop() {
      answer.completeExceptionally(new HandshakeFailed("the connection ended during the upgrade"));
    }

    private void readAnswer() {
      if (refusal == null) {
        int end = ResponseHead.endOf(buffer);
        if (end < 0) {
          if (buffer.size() > limits.maxHeadBytes()) fail("the answer's head is over " + limits.maxHeadBytes() + " bytes");
          else pull(in);
          return;
        }
        ResponseHead head;
        try {
          head = ResponseHead.parse(buffer.take(end));
        } catch (HandshakeFailed e) {
          fail(e.getMessage());
          return;
        }
        buffer = buffer.drop(end + 4);
        if (head.status() == 101) {
          accepted(head);
          return;
        }
        refusal = head;
      }
      readRefusalBody();
    }

    private void accepted(ResponseHead head) {
      if (!head.headerHasToken("upgrade", "websocket") || !head.headerHasToken("connection", "upgrade")) {
        fail("a 101 without Upgrade: websocket and Connection: Upgrade");
        return;
      }
      if (!head.header("sec-websocket-accept").equals(Optional.of(request.expectedAccept()))) {
        fail("a 101 with a wrong Sec-WebSocket-Accept");
        return;
      }
      cancelTimer("handshake");
      ByteString early = buffer;
      buffer = null;
      answer.complete(new UpgradeAnswer.Accepted(head.header("sec-websocket-protocol")));
      // frames the backend sent right behind its 101 wait for the client's first demand
      if (!early.isEmpty()) emit(out, early);
      else if (isAvailable(out)) pull(in);
    }

    private void readRefusalBody() {
      Optional<String> length = refusal.header("content-length");
      if (length.isPresent()) {
        long expected;
        try {
          expected = Long.parseLong(length.get());
        } catch (NumberFormatException e) {
          fail("bad Content-Length: " + length.get());
          return;
        }
        if (expected > limits.maxBodyBytes()) fail("the refusal's body is over " + limits.maxBodyBytes() + " bytes");
        else if (buffer.size() >= expected) refused(buffer.take((int) expected));
        else pull(in);
        return;
      }
      if (buffer.size() > limits.maxBodyBytes()) {
        fail("the refusal's body is over " + limits.maxBodyBytes() + " bytes");
        return;
      }
      if (isChunked(refusal)) {
        Optional<ByteString> body = Chunked.decode(buffer);
        if (body.isPresent()) refused(body.get());
        else pull(in);
        return;
      }
      pull(in);
    }

    private void refused(ByteString body) {
      answer.complete(new UpgradeAnswer.Refused(refusal.toResponse(body)));
      completeStage();
    }

    private void fail(String why) {
      HandshakeFailed error = new HandshakeFailed(why);
      answer.completeExceptionally(error);
      failStage(error);
    }
  }

  private static boolean isChunked(ResponseHead head) {
    return head.headerHasToken("transfer-encoding", "chunked");
  }
}
