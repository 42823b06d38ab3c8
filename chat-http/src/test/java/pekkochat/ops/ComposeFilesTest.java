package pekkochat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.ops.DeployContract.at;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, its bridged override, the Dockerfile and Prometheus' scrape config match
 * what the code reads and serves (issue 12, acceptance 1). `docker-compose config -q` (in .ci/run)
 * checks the syntax; this checks the meaning.
 */
class ComposeFilesTest {
  private static final Pattern DOCKER_ENV = Pattern.compile("(?m)^\\s*([A-Z][A-Z0-9_]*)=");
  private static final Set<String> CHAT_PROCESSES = Set.of("node", "balancer");

  private static DeployContract contract;
  private static Map<String, Object> services;

  @BeforeAll
  static void load() {
    contract = new DeployContract();
    services = at(DeployContract.yaml(contract.root.resolve("docker-compose.yml")), "services");
  }

  /** The services that run the project's image, by the process their command starts. */
  private static Map<String, String> chatServices() {
    Map<String, String> chat = new LinkedHashMap<>();
    for (var service : services.entrySet()) {
      Map<String, Object> s = cast(service.getValue());
      if (DeployContract.IMAGE.equals(s.get("image"))) {
        List<String> command = cast(s.get("command"));
        assertTrue(CHAT_PROCESSES.contains(command.get(0)), service.getKey() + " runs node or balancer");
        chat.put(service.getKey(), command.get(0));
      }
    }
    return chat;
  }

  @Test
  void threeNodesOneBalancerFromTheOneImageBuiltHere() {
    Map<String, String> chat = chatServices();
    assertEquals(3, chat.values().stream().filter("node"::equals).count(), "three nodes: " + chat);
    assertEquals(1, chat.values().stream().filter("balancer"::equals).count(), "one balancer: " + chat);
    for (String name : chat.keySet()) {
      assertEquals(".", at(services, name, "build"), name + " is built from this repository's Dockerfile");
    }
    for (String other : List.of("postgres", "redis", "prometheus", "grafana")) {
      assertTrue(services.containsKey(other), "compose runs " + other);
    }
  }

  @Test
  void nodesFormOneClusterOnPostgresWithOneSecret() {
    Set<String> nodes = new TreeSet<>();
    chatServices().forEach((name, process) -> {
      if (process.equals("node")) nodes.add(name);
    });
    Set<String> secrets = new TreeSet<>();
    for (String name : nodes) {
      Map<String, Object> env = at(services, name, "environment");
      contract.checkEnvironment("docker-compose.yml " + name, env);
      assertEquals(name, env.get("CHAT_CLUSTER_HOST"), name + " is reached by its service name");
      assertEquals(name, env.get("CHAT_NODE_ID"));
      assertEquals(contract.nodeHttpPort(), Integer.parseInt((String) env.get("CHAT_HTTP_PORT")));
      assertEquals(contract.clusterPort(), Integer.parseInt((String) env.get("CHAT_CLUSTER_PORT")));
      for (String seed : ((String) env.get("CHAT_CLUSTER_SEEDS")).split(",")) {
        DeployContract.checkPort(name + " seed", seed, contract.clusterPort());
        assertTrue(nodes.contains(seed.substring(0, seed.indexOf(':'))), seed + " is a node service");
      }
      assertTrue(((String) env.get("CHAT_DB_URL")).startsWith("jdbc:postgresql://postgres:5432/"), "the postgres service");
      secrets.add((String) env.get("CHAT_JWT_SECRET"));
      List<String> health = at(services, name, "healthcheck", "test");
      DeployContract.checkUrl(name + " healthcheck", health.get(health.size() - 1), contract.nodeHttpPort(), Set.of("/readyz"));
      assertTrue(contract.nodePaths.contains("/readyz"));
      Map<String, Map<String, String>> depends = at(services, name, "depends_on");
      assertEquals("service_healthy", depends.get("postgres").get("condition"));
      assertEquals("unless-stopped", at(services, name, "restart"));
    }
    assertEquals(1, secrets.size(), "one CHAT_JWT_SECRET for every node: " + secrets);
    assertTrue(secrets.iterator().next().startsWith("${CHAT_JWT_SECRET:?"), "from the env file, required");
  }

  @Test
  void balancerListensOnItsPortInFrontOfEveryNode() {
    Map<String, Object> env = at(services, "balancer", "environment");
    contract.checkEnvironment("docker-compose.yml balancer", env);
    assertEquals(contract.balancerPort(), Integer.parseInt((String) env.get("BALANCER_PORT")));
    assertEquals(List.of(contract.balancerPort() + ":" + contract.balancerPort()), at(services, "balancer", "ports"));
    Set<String> backends = new TreeSet<>();
    for (String backend : ((String) env.get("BALANCER_BACKENDS")).split(",")) {
      DeployContract.checkPort("balancer backend", backend, contract.nodeHttpPort());
      backends.add(backend.substring(0, backend.indexOf(':')));
    }
    Set<String> nodes = new TreeSet<>();
    chatServices().forEach((name, process) -> {
      if (process.equals("node")) nodes.add(name);
    });
    assertEquals(nodes, backends, "the balancer fronts every node");
    List<String> health = at(services, "balancer", "healthcheck", "test");
    DeployContract.checkUrl("balancer healthcheck", health.get(health.size() - 1), contract.balancerPort(), contract.balancerPaths);
  }

  @Test
  void postgresAndRedisHaveHealthChecksAndVolumes() {
    for (String name : List.of("postgres", "redis")) {
      assertTrue(((Map<?, ?>) services.get(name)).containsKey("healthcheck"), name + " health check");
      List<String> volumes = at(services, name, "volumes");
      assertEquals(1, volumes.size(), name + " keeps its data in a volume");
    }
    Map<String, Object> postgres = at(services, "postgres", "environment");
    assertEquals("chat", postgres.get("POSTGRES_USER"));
    for (String node : List.of("node1", "node2", "node3")) {
      Map<String, Object> env = at(services, node, "environment");
      assertEquals(postgres.get("POSTGRES_USER"), env.get("CHAT_DB_USER"));
      assertEquals(postgres.get("POSTGRES_PASSWORD"), env.get("CHAT_DB_PASSWORD"), "one password, from .env");
      assertTrue(((String) env.get("CHAT_DB_URL")).endsWith("/" + postgres.get("POSTGRES_DB")));
    }
  }

  @Test
  void bridgedOverrideGivesEveryNodeRedisAndNoSeeds() {
    Map<String, Object> bridged = at(DeployContract.yaml(contract.root.resolve("docker-compose.bridged.yml")), "services");
    Set<String> nodes = new TreeSet<>();
    chatServices().forEach((name, process) -> {
      if (process.equals("node")) nodes.add(name);
    });
    assertEquals(nodes, bridged.keySet(), "the override covers every node and nothing else");
    for (String name : nodes) {
      Map<String, Object> env = at(bridged, name, "environment");
      contract.checkEnvironment("docker-compose.bridged.yml " + name, env);
      assertEquals("", env.get("CHAT_CLUSTER_SEEDS"), "no seeds: each node a cluster of itself");
      assertEquals("redis://redis:6379", env.get("CHAT_REDIS_URL"));
      Map<String, Map<String, String>> depends = at(bridged, name, "depends_on");
      assertEquals("service_healthy", depends.get("redis").get("condition"));
    }
  }

  @Test
  void prometheusScrapesEveryNodeAndTheBalancerWhereTheyServeMetrics() {
    Map<String, Object> prometheus = DeployContract.yaml(contract.root.resolve("deploy/prometheus/prometheus.yml"));
    List<Map<String, Object>> jobs = at(prometheus, "scrape_configs");
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> job : jobs) {
      String path = (String) job.get("metrics_path");
      List<Map<String, List<String>>> configs = cast(job.get("static_configs"));
      for (String target : configs.get(0).get("targets")) {
        String service = target.substring(0, target.indexOf(':'));
        String process = chatServices().get(service);
        assertTrue(process != null, target + " is a chat service");
        if (process.equals("node")) {
          DeployContract.checkUrl("prometheus " + target, "http://" + target + path, contract.nodeHttpPort(), contract.nodePaths);
        } else {
          DeployContract.checkUrl("prometheus " + target, "http://" + target + path, contract.balancerPort(), contract.balancerPaths);
        }
        scraped.add(service);
      }
    }
    assertEquals(chatServices().keySet(), scraped, "every node and the balancer are scraped");
  }

  @Test
  void dockerfileRunsEitherProcessAsNonRootWithTheSharedJvmOptions() throws IOException {
    String dockerfile = Files.readString(contract.root.resolve("Dockerfile"));
    String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    assertTrue(runtime.contains("\nUSER chat"), "the runtime stage runs as a non-root user");
    assertTrue(dockerfile.contains("docker build -t " + DeployContract.IMAGE), "the image name compose and k8s use");
    assertTrue(runtime.contains("COPY bin/pekko-chat bin/jvm-options bin/"), "the one JVM options file");
    assertTrue(runtime.contains("ENTRYPOINT [\"/opt/pekko-chat/bin/pekko-chat\"]"));
    String script = Files.readString(contract.root.resolve("bin/pekko-chat"));
    assertTrue(script.contains("java @\"$home/bin/jvm-options\""), "the script starts java with bin/jvm-options");
    for (String process : CHAT_PROCESSES) assertTrue(script.contains("  " + process + ")"), "the script runs " + process);
    String readme = Files.readString(contract.root.resolve("README.md"));
    assertTrue(readme.contains("java @bin/jvm-options -jar chat-http/target/chat-node.jar"), "the README's run command shares them");

    Map<String, String> env = new LinkedHashMap<>();
    Matcher m = DOCKER_ENV.matcher(runtime.substring(runtime.indexOf("\nENV ")));
    while (m.find()) env.put(m.group(1), "");
    contract.checkEnvironment("Dockerfile", env);
    assertTrue(runtime.contains("CHAT_HTTP_PORT=" + contract.nodeHttpPort()));
    assertTrue(runtime.contains("CHAT_CLUSTER_PORT=" + contract.clusterPort()));
    assertTrue(runtime.contains("BALANCER_PORT=" + contract.balancerPort()));
    Matcher health = Pattern.compile("HEALTHCHECK[^\\n]*\\\\\\n\\s*CMD curl -fsS \"http://127.0.0.1:\\$\\{CHAT_HTTP_PORT}(/[a-z]+)\"")
        .matcher(runtime);
    assertTrue(health.find(), "HEALTHCHECK curls the node");
    assertEquals("/readyz", health.group(1));
    assertTrue(contract.nodePaths.contains(health.group(1)));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }
}
