package pekkochat.balancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pekkochat.balancer.support.ChildProcess;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.node.LogSecrets;
import pekkochat.testkit.node.Ports;

/**
 * Real chat node processes ({@code chat-node.jar}) behind a real balancer process
 * ({@code chat-balancer.jar}), all on loopback. Each node is standalone (its own cluster and H2);
 * they share the JWT secret, so one token opens a socket on any of them. On every node the test
 * user is registered and a public room made whose name tells the node, so a test can find out
 * which node a proxied socket landed on by joining.
 */
final class ChatFleet implements AutoCloseable {

  static final Duration NODE_START = Duration.ofSeconds(60);
  static final String USER = "alice";
  private static final String PASSWORD = "correct-horse-battery";
  private static final String SECRET = "balancer-it-shared-jwt-secret-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One node: its ports and data dir stay the same over a restart. */
  static final class Node {
    final int index;
    final int httpPort = Ports.free();
    final int clusterPort = Ports.free();
    final Path dataDir;
    ChildProcess process;
    String roomId;

    Node(int index, Path dataDir) {
      this.index = index;
      this.dataDir = dataDir;
    }

    String address() {
      return "127.0.0.1:" + httpPort;
    }

    String url(String pathAndQuery) {
      return "http://" + address() + pathAndQuery;
    }

    String roomName() {
      return "room-of-node-" + index;
    }
  }

  private final Path dir;
  private final List<String> nodeOptions;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final List<Node> nodes = new ArrayList<>();
  ChildProcess balancer;
  int balancerPort;
  private final List<Path> logs = new ArrayList<>();
  String token;

  ChatFleet(Path dir, int nodeCount) throws Exception {
    this(dir, nodeCount, List.of());
  }

  /** {@code balancerOptions}: JVM options of the balancer, e.g. {@code -Dbalancer.shutdown.drain-timeout=2s}. */
  ChatFleet(Path dir, int nodeCount, List<String> balancerOptions) throws Exception {
    this(dir, nodeCount, List.of(), balancerOptions);
  }

  /** {@code nodeOptions}: JVM options of every node, e.g. {@code -Dchat.ws.outbound-queue-size=256}. */
  ChatFleet(Path dir, int nodeCount, List<String> nodeOptions, List<String> balancerOptions) throws Exception {
    this.dir = dir;
    this.nodeOptions = nodeOptions;
    for (int i = 1; i <= nodeCount; i++) nodes.add(new Node(i, Files.createDirectories(dir.resolve("node-" + i))));
    CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(() -> startNode(n))).toArray(CompletableFuture[]::new)).join();
    for (Node node : nodes) {
      token = register(node);
      node.roomId = createRoom(node);
    }
    startBalancer(balancerOptions);
  }

  static String nodeJar() {
    String jar = System.getProperty("chat.node.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) throw new AssertionError("no node jar at " + jar + " (mvn package builds it)");
    return jar;
  }

  void startNode(Node node) {
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx384m"));
    jvmOptions.addAll(nodeOptions);
    node.process = ChildProcess.start("node-" + node.index, ChildProcess.javaJar(nodeJar(), jvmOptions.toArray(String[]::new)),
        Map.of("CHAT_HTTP_PORT", Integer.toString(node.httpPort),
            "CHAT_CLUSTER_PORT", Integer.toString(node.clusterPort),
            "CHAT_DATA_DIR", node.dataDir.toString(),
            "CHAT_JWT_SECRET", SECRET),
        logged(dir.resolve("node-" + node.index + "-" + System.nanoTime() + ".log")));
    node.process.awaitOk(node.url("/readyz"), NODE_START);
  }

  private void startBalancer(List<String> options) {
    String jar = System.getProperty("chat.balancer.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) throw new AssertionError("no balancer jar at " + jar);
    balancerPort = Ports.free();
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m"));
    jvmOptions.addAll(options);
    balancer = ChildProcess.start("balancer", ChildProcess.javaJar(jar, jvmOptions.toArray(String[]::new)),
        Map.of("BALANCER_PORT", Integer.toString(balancerPort),
            "BALANCER_BACKENDS", String.join(",", nodes.stream().map(Node::address).toList())),
        logged(dir.resolve("balancer.log")));
    balancer.awaitOk(balancerUrl("/balancer/status"), NODE_START);
    Waits.until(Duration.ofSeconds(10), "all nodes up in the balancer",
        () -> nodes.stream().allMatch(n -> health(n).equals("up")));
  }

  String balancerUrl(String pathAndQuery) {
    return "http://127.0.0.1:" + balancerPort + pathAndQuery;
  }

  String balancerWs(String pathAndQuery) {
    return "ws://127.0.0.1:" + balancerPort + pathAndQuery;
  }

  JsonNode status() {
    try {
      return JSON.readTree(get(balancerUrl("/balancer/status"), null).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  JsonNode backendStatus(Node node) {
    for (JsonNode b : status().get("backends")) {
      if (b.get("address").asText().equals(node.address())) return b;
    }
    throw new AssertionError("no " + node.address() + " in the balancer's status");
  }

  String health(Node node) {
    return backendStatus(node).get("health").asText();
  }

  /** The node a room id belongs to. */
  Node nodeOfRoom(String roomId) {
    return nodes.stream().filter(n -> n.roomId.equals(roomId)).findFirst().orElseThrow();
  }

  Node nodeNamed(String roomName) {
    return nodes.stream().filter(n -> n.roomName().equals(roomName)).findFirst().orElseThrow();
  }

  HttpResponse<String> get(String url, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String url, String bearer, String body, int expectedStatus) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) request.header("Authorization", "Bearer " + bearer);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expectedStatus) throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private String register(Node node) throws Exception {
    Map<String, String> credentials = new HashMap<>(Map.of("username", USER, "password", PASSWORD));
    LogSecrets.rememberPassword(PASSWORD);
    String issued = post(node.url("/api/register"), null, JSON.writeValueAsString(credentials), 201).get("token").asText();
    LogSecrets.rememberToken(issued);
    return issued;
  }

  /** A log of one of the fleet's processes, scanned for the test's secrets when the fleet closes. */
  private Path logged(Path log) {
    logs.add(log);
    return log;
  }

  private String createRoom(Node node) throws Exception {
    String body = JSON.writeValueAsString(Map.of("name", node.roomName(), "visibility", "public"));
    return post(node.url("/api/rooms"), token, body, 201).get("id").asText();
  }

  /** Stops every process, then fails if a log of theirs holds the password or a token (issue #13). */
  @Override
  public void close() {
    if (balancer != null) balancer.close();
    for (Node node : nodes) {
      if (node.process != null) node.process.close();
    }
    List<String> leaks = new ArrayList<>();
    for (Path log : logs) leaks.addAll(LogSecrets.findIn(log));
    if (!leaks.isEmpty()) throw new AssertionError("a process of the fleet logged a secret of the test: " + leaks);
  }
}
