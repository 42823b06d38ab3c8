package pekkochat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One client socket of the load: sends frames, hands every server object to a consumer. */
final class BenchSocket implements WebSocket.Listener {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StringBuilder partial = new StringBuilder();
  private final Consumer<JsonNode> onObject;
  private final CompletableFuture<Void> joined = new CompletableFuture<>();
  private WebSocket socket;

  private BenchSocket(Consumer<JsonNode> onObject) {
    this.onObject = onObject;
  }

  static BenchSocket open(HttpClient http, String url, Consumer<JsonNode> onObject) {
    BenchSocket s = new BenchSocket(onObject);
    s.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(url), s)
        .orTimeout(20, TimeUnit.SECONDS).join();
    return s;
  }

  void join(String room) {
    send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
    joined.orTimeout(20, TimeUnit.SECONDS).join();
  }

  /** Sends one frame; the JDK client allows one outstanding send per socket, so this waits for it. */
  void send(String frame) {
    socket.sendText(frame, true).join();
  }

  void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    socket.abort();
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      for (String line : partial.toString().split("\n")) {
        try {
          JsonNode object = JSON.readTree(line);
          if (object.path("type").asText().equals("joined")) joined.complete(null);
          onObject.accept(object);
        } catch (Exception e) {
          throw new IllegalStateException("bad frame: " + line, e);
        }
      }
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }
}
