package pekkochat.connection;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Sink;

/** Collects one WebSocket message, refusing text over the frame limit and any binary data. */
final class FrameDecoder {
  private final int maxFrameBytes;
  private final Materializer materializer;

  FrameDecoder(int maxFrameBytes, Materializer materializer) {
    this.maxFrameBytes = maxFrameBytes;
    this.materializer = materializer;
  }

  CompletionStage<InboundFrame> decode(Message message) {
    if (!message.isText()) {
      // drain it, so the connection's byte stream moves on
      return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer)
          .thenApply(done -> new InboundFrame.Binary());
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) return CompletableFuture.completedFuture(checked(text.getStrictText()));
    // A UTF-8 character takes at least one byte, so the char limit is a first, cheap bound.
    return text.getStreamedText()
        .limitWeighted(maxFrameBytes, s -> (long) s.length())
        .runFold(new StringBuilder(), StringBuilder::append, materializer)
        .thenApply(sb -> checked(sb.toString()))
        .exceptionally(
            e -> {
              if (e instanceof StreamLimitReachedException || e.getCause() instanceof StreamLimitReachedException) {
                return new InboundFrame.TooLarge();
              }
              throw new java.util.concurrent.CompletionException(e);
            });
  }

  private InboundFrame checked(String text) {
    boolean surelySmall = (long) text.length() * 3 <= maxFrameBytes;
    if (!surelySmall && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes) {
      return new InboundFrame.TooLarge();
    }
    return new InboundFrame.Text(text);
  }
}
