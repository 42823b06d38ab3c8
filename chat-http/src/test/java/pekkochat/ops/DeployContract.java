package pekkochat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import pekkochat.testkit.repo.RepoFiles;

/**
 * What the deploy files must agree with, read from the code and the contract rather than copied:
 * PROTOCOL.md section 1's variables, the variables the processes' configs read, their default
 * ports, the paths the node's {@link OpsRoutes} serves (asked of a live instance) and the
 * balancer's status paths.
 */
final class DeployContract {
  /** The one image both processes run from (Dockerfile, docker-compose.yml, deploy/k8s). */
  static final String IMAGE = "pekko-chat:latest";

  private static final Pattern OPTIONAL_SUBSTITUTION = Pattern.compile("\\$\\{\\??([A-Z][A-Z0-9_]*)");
  private static final Pattern BACKTICKED_VARIABLE = Pattern.compile("`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`");
  private static final Pattern BALANCER_PATH = Pattern.compile("case \"(/balancer/[a-z]+)\"");

  final Path root = RepoFiles.root();
  final Set<String> protocolVariables = protocolVariables(RepoFiles.protocol());
  final Set<String> variablesReadByCode = variablesReadByCode(root);
  final Config node = conf(root.resolve("chat-http/src/main/resources/application.conf"));
  final Config balancer = conf(root.resolve("chat-balancer/src/main/resources/application.conf"));
  final Set<String> nodePaths = servedOpsPaths();
  final Set<String> balancerPaths = balancerPaths(root);

  int nodeHttpPort() {
    return node.getInt("chat.http.port");
  }

  int clusterPort() {
    return node.getInt("chat.cluster.port");
  }

  int balancerPort() {
    return balancer.getInt("balancer.http.port");
  }

  /**
   * Every variable a deploy file gives a chat process is one the process reads, and one that the
   * contract (PROTOCOL.md section 1) or the module's docs name.
   */
  void checkEnvironment(String where, Map<String, ?> env) {
    for (String name : env.keySet()) {
      assertTrue(variablesReadByCode.contains(name),
          () -> where + ": " + name + " is read by no application.conf or logback.xml; they read " + variablesReadByCode);
      assertTrue(protocolVariables.contains(name) || documented(name),
          () -> where + ": " + name + " is neither in PROTOCOL.md section 1 " + protocolVariables + " nor in docs/");
    }
  }

  /** {@code host:port} → port, checked against the expected one. */
  static void checkPort(String where, String hostPort, int expected) {
    int colon = hostPort.lastIndexOf(':');
    assertTrue(colon > 0, () -> where + ": host:port expected, was " + hostPort);
    assertEquals(expected, Integer.parseInt(hostPort.substring(colon + 1).trim()), () -> where + ": port of " + hostPort);
  }

  /** An {@code http://host:port/path} URL: its port and path, checked. */
  static void checkUrl(String where, String url, int port, Set<String> paths) {
    URI uri = URI.create(url);
    assertEquals(port, uri.getPort(), () -> where + ": port of " + url);
    assertTrue(paths.contains(uri.getPath()), () -> where + ": " + uri.getPath() + " is not served; served: " + paths);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) {
    try {
      return (Map<String, Object>) new Yaml(new LoaderOptions()).load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(Path file) {
    try {
      List<Map<String, Object>> docs = new java.util.ArrayList<>();
      for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
        if (doc != null) docs.add((Map<String, Object>) doc);
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A nested value, by keys; fails naming the path when one is missing. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object tree, String... keys) {
    Object node = tree;
    StringBuilder path = new StringBuilder();
    for (String key : keys) {
      path.append('.').append(key);
      assertTrue(node instanceof Map, "no map at " + path);
      node = ((Map<String, Object>) node).get(key);
      assertTrue(node != null, "missing " + path);
    }
    return (T) node;
  }

  private boolean documented(String name) {
    try (var docs = Files.list(root.resolve("docs"))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        if (Files.readString(doc).contains("`" + name + "`")) return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> protocolVariables(Path protocol) {
    try {
      String text = Files.readString(protocol);
      int start = text.indexOf("## 1.");
      int end = text.indexOf("## 2.", start);
      assertTrue(start >= 0 && end > start, "PROTOCOL.md has sections 1 and 2");
      Set<String> names = new TreeSet<>();
      Matcher m = BACKTICKED_VARIABLE.matcher(text.substring(start, end));
      while (m.find()) names.add(m.group(1));
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> variablesReadByCode(Path root) {
    Set<String> names = new TreeSet<>();
    for (String module : List.of("chat-http", "chat-balancer")) {
      for (String file : List.of("application.conf", "logback.xml")) {
        Path path = root.resolve(module).resolve("src/main/resources").resolve(file);
        if (!Files.exists(path)) continue;
        try {
          Matcher m = OPTIONAL_SUBSTITUTION.matcher(Files.readString(path));
          while (m.find()) names.add(m.group(1));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return names;
  }

  /** The defaults, as a process with no variable set reads them. */
  private static Config conf(Path file) {
    return ConfigFactory.parseFile(file.toFile()).resolve(ConfigResolveOptions.noSystem());
  }

  private static Set<String> balancerPaths(Path root) {
    try {
      String routes = Files.readString(root.resolve("chat-balancer/src/main/java/pekkochat/balancer/status/StatusRoutes.java"));
      Set<String> paths = new TreeSet<>();
      Matcher m = BALANCER_PATH.matcher(routes);
      while (m.find()) paths.add(m.group(1));
      assertTrue(!paths.isEmpty(), "StatusRoutes serves /balancer/... paths");
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The probe paths a live {@link OpsRoutes} answers (any status but 404). */
  private static Set<String> servedOpsPaths() {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "deploy-contract",
        ConfigFactory.parseString("pekko.actor.provider = local\npekko.coordinated-shutdown.exit-jvm = off")
            .withFallback(ConfigFactory.load()));
    try {
      ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0)
          .bind(new OpsRoutes(new Readiness(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).routes())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Set<String> served = new TreeSet<>();
      for (String path : List.of("/healthz", "/readyz", "/metrics", "/status", "/health")) {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
            .timeout(Duration.ofSeconds(5)).GET().build();
        if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 404) served.add(path);
      }
      assertEquals(Set.of("/healthz", "/readyz", "/metrics"), served, "what OpsRoutes serves (PROTOCOL.md section 1)");
      return served;
    } catch (Exception e) {
      throw new AssertionError("could not ask OpsRoutes what it serves", e);
    } finally {
      system.terminate();
    }
  }
}
