package pekkochat.balancer.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A stand-in chat node for proxy-level tests: a real Pekko HTTP server on a loopback port with
 * {@code /readyz}, a {@code /ws} that refuses like a node (401 without {@code token=good}, 403 for
 * a foreign {@code Origin}) and echoes frames (or, with {@code flood=1}, writes frames as fast as
 * it is allowed to), and a few HTTP paths. It knows nothing of the chat protocol.
 */
public final class EchoBackend implements AutoCloseable {

  public static final String FOREIGN_ORIGIN = "http://evil.example";
  /** size of one flood frame */
  public static final int FLOOD_FRAME_BYTES = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final AtomicLong flooded = new AtomicLong();

  public EchoBackend(String name, int port) {
    this.name = name;
    // the test JVM must outlive this system (application.conf on the class path says exit-jvm = on)
    Config config = ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = off").withFallback(ConfigFactory.load());
    this.system = ActorSystem.create(Behaviors.empty(), "backend-" + name.replaceAll("[^A-Za-z0-9]", "-"), config);
    this.binding = Http.get(system).newServerAt("127.0.0.1", port)
        .bind((Function<HttpRequest, CompletionStage<HttpResponse>>) this::handle)
        .toCompletableFuture().join();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** What {@code /readyz} answers: 200 when ready, 503 when not (as a draining node does). */
  public void setReady(boolean value) {
    ready.set(value);
  }

  /** flood frames the backend has been allowed to write so far. */
  public long flooded() {
    return flooded.get();
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request) {
    String path = request.getUri().path();
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent() && path.equals("/ws")) return done(webSocket(request, upgrade.get()));
    switch (path) {
      case "/readyz":
        return done(HttpResponse.create().withStatus(ready.get() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE));
      case "/api/whoami":
        return done(HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, requestInfo(request).toString()));
      case "/api/echo":
        // streams the body back as it arrives (chunked), as a large download would
        return done(HttpResponse.create().withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_OCTET_STREAM, request.entity().getDataBytes())));
      default:
        return request.discardEntityBytes(system).completionStage()
            .thenApply(d -> HttpResponse.create().withStatus(StatusCodes.NOT_FOUND).withEntity("backend " + name + ": no " + path));
    }
  }

  private HttpResponse webSocket(HttpRequest request, WebSocketUpgrade upgrade) {
    String origin = request.getHeader("Origin").map(HttpHeader::value).orElse("");
    if (origin.equals(FOREIGN_ORIGIN)) {
      return HttpResponse.create().withStatus(StatusCodes.FORBIDDEN).withEntity(ContentTypes.APPLICATION_JSON, "{\"error\":{\"code\":\"forbidden\"}}");
    }
    if (!request.getUri().query().get("token").orElse("").equals("good")) {
      return HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED).withEntity(ContentTypes.APPLICATION_JSON, "{\"error\":{\"code\":\"unauthorized\"}}");
    }
    if (request.getUri().query().get("flood").isPresent()) return upgrade.handleMessagesWith(floodFlow());
    ObjectNode info = requestInfo(request);
    Flow<Message, Message, NotUsed> echo = Flow.<Message>create()
        .takeWhile(m -> !(m.isText() && m.asTextMessage().isStrict() && m.asTextMessage().getStrictText().equals("bye")), true)
        .map(m -> reply(m, info));
    return upgrade.getRequestedProtocols().iterator().hasNext()
        ? upgrade.handleMessagesWith(echo, upgrade.getRequestedProtocols().iterator().next())
        : upgrade.handleMessagesWith(echo);
  }

  /** Echoes every frame; {@code whoami} answers the request line and headers the backend saw. */
  private static Message reply(Message m, ObjectNode info) {
    if (m.isText() && m.asTextMessage().isStrict() && m.asTextMessage().getStrictText().equals("whoami")) {
      return TextMessage.create(info.toString());
    }
    if (m.isText() && m.asTextMessage().isStrict() && m.asTextMessage().getStrictText().equals("bye")) {
      return TextMessage.create("{\"type\":\"closing\",\"reason\":\"idle\",\"message\":\"bye\"}");
    }
    return m;
  }

  private ObjectNode requestInfo(HttpRequest request) {
    ObjectNode info = JSON.createObjectNode();
    info.put("backend", name);
    info.put("path", request.getUri().path());
    info.put("query", request.getUri().rawQueryString().orElse(""));
    ObjectNode headers = info.putObject("headers");
    for (HttpHeader h : request.getHeaders()) headers.put(h.lowercaseName(), h.value());
    return info;
  }

  private Flow<Message, Message, NotUsed> floodFlow() {
    ByteString payload = ByteString.fromArray(new byte[FLOOD_FRAME_BYTES]);
    Source<Message, NotUsed> flood = Source.repeat(payload)
        .map(bytes -> {
          flooded.incrementAndGet();
          return (Message) BinaryMessage.create(bytes);
        });
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), flood);
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  /** Stops listening and cuts every connection, as a process that goes away would. */
  @Override
  public void close() {
    binding.terminate(Duration.ofMillis(100)).toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }
}
