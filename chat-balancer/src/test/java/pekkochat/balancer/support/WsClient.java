package pekkochat.balancer.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test WebSocket client on the JDK's own implementation, independent of the code under test. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** The end of a socket as the client saw it: a close code, or a transport error. */
  public record Closed(int code, String reason, Throwable error) {}

  private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partialText = new StringBuilder();
  private WebSocket socket;

  private WsClient() {}

  public static WsClient connect(String uri, Map<String, String> headers) {
    WsClient client = new WsClient();
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach((name, value) -> {
      if (name.equalsIgnoreCase("Sec-WebSocket-Protocol")) builder.subprotocols(value);
      else builder.header(name, value);
    });
    client.socket = builder.buildAsync(URI.create(uri), client).orTimeout(20, TimeUnit.SECONDS).join();
    return client;
  }

  /** The HTTP status of a refused upgrade; fails the test's expectation if the upgrade succeeded. */
  public static int refusedStatus(String uri, Map<String, String> headers) {
    try {
      WsClient client = connect(uri, headers);
      client.close();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) return refused.getResponse().statusCode();
      throw e;
    }
  }

  public String subprotocol() {
    return socket.getSubprotocol();
  }

  public void send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** The next whole text frame, or fails after {@code timeout}. */
  public String nextText(Duration timeout) {
    Object frame = next(timeout);
    if (!(frame instanceof String text)) throw new AssertionError("expected a text frame, got " + frame);
    return text;
  }

  public Object next(Duration timeout) {
    try {
      Object frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) throw new AssertionError("no frame within " + timeout);
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whole frames received and not yet taken. */
  public int pendingFrames() {
    return frames.size();
  }

  public CompletableFuture<Closed> closed() {
    return closed;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partialText.append(data);
    if (last) {
      frames.add(partialText.toString());
      partialText.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    frames.add(bytes);
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason, null));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Closed(-1, "", error));
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
    closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    socket.abort();
  }
}
