package pekkochat.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.ops.DeployContract.at;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every manifest parses, and the StatefulSet, its headless Service, the probes, the
 * PodDisruptionBudget, the drain hooks, the balancer and the secrets fit together and match
 * what the code reads and serves (issue 12, acceptance 1; no cluster runs here).
 */
class KubernetesManifestsTest {
  private static DeployContract contract;
  private static final Map<String, Map<String, Object>> byKindAndName = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws IOException {
    contract = new DeployContract();
    Path dir = contract.root.resolve("deploy/k8s");
    List<String> resources = at(DeployContract.yaml(dir.resolve("kustomization.yaml")), "resources");
    try (var files = Files.list(dir)) {
      Set<String> manifests = new TreeSet<>();
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(manifests::add);
      assertEquals(manifests, new TreeSet<>(resources), "kustomization.yaml lists every manifest");
    }
    for (String file : resources) {
      for (Map<String, Object> doc : DeployContract.yamlDocuments(dir.resolve(file))) {
        assertTrue(doc.containsKey("apiVersion"), file + ": apiVersion");
        byKindAndName.put(doc.get("kind") + "/" + at(doc, "metadata", "name"), doc);
      }
    }
  }

  private static Map<String, Object> get(String kindAndName) {
    Map<String, Object> doc = byKindAndName.get(kindAndName);
    assertTrue(doc != null, kindAndName + " in deploy/k8s; found " + byKindAndName.keySet());
    return doc;
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    List<Map<String, Object>> containers = at(workload, "spec", "template", "spec", "containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  /** name → literal value, or "secret:NAME/KEY", or "field:PATH". */
  private static Map<String, String> env(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    List<Map<String, Object>> vars = at(container, "env");
    for (Map<String, Object> var : vars) {
      String name = (String) var.get("name");
      if (var.containsKey("value")) {
        env.put(name, (String) var.get("value"));
      } else if (var.get("valueFrom") instanceof Map<?, ?> from && from.containsKey("secretKeyRef")) {
        env.put(name, "secret:" + at(from, "secretKeyRef", "name") + "/" + at(from, "secretKeyRef", "key"));
      } else {
        env.put(name, "field:" + at(var, "valueFrom", "fieldRef", "fieldPath"));
      }
    }
    return env;
  }

  private static int port(Map<String, Object> container, String name) {
    List<Map<String, Object>> ports = at(container, "ports");
    return ports.stream().filter(p -> name.equals(p.get("name"))).mapToInt(p -> (Integer) p.get("containerPort"))
        .findFirst().orElseThrow(() -> new AssertionError("no port " + name));
  }

  @Test
  void nodesAreAStatefulSetWhoseStableNamesAreTheSeeds() {
    Map<String, Object> sts = get("StatefulSet/chat-node");
    String serviceName = at(sts, "spec", "serviceName");
    Map<String, Object> service = get("Service/" + serviceName);
    assertEquals("None", at(service, "spec", "clusterIP"), "a headless Service gives each pod a DNS name");
    assertEquals(Boolean.TRUE, at(service, "spec", "publishNotReadyAddresses"), "seeds resolve before the pods are ready");
    assertEquals(DeployContract.<Object>at(sts, "spec", "selector", "matchLabels"), at(service, "spec", "selector"));
    Map<String, Object> c = container(sts);
    assertEquals(DeployContract.IMAGE, c.get("image"));
    assertEquals(List.of("node"), c.get("args"));
    Map<String, String> env = env(c);
    contract.checkEnvironment("chat-node StatefulSet", env);
    int replicas = at(sts, "spec", "replicas");
    assertEquals("field:metadata.name", env.get("CHAT_NODE_ID"));
    assertEquals("$(CHAT_NODE_ID)." + serviceName, env.get("CHAT_CLUSTER_HOST"), "its Pekko address is its stable name");
    for (String seed : env.get("CHAT_CLUSTER_SEEDS").split(",")) {
      DeployContract.checkPort("seed", seed, contract.clusterPort());
      String host = seed.substring(0, seed.indexOf(':'));
      String pod = host.substring(0, host.indexOf('.'));
      int ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
      assertEquals(at(sts, "metadata", "name") + "-" + ordinal + "." + serviceName, host);
      assertTrue(ordinal < replicas, seed + " is one of the " + replicas + " pods");
    }
    assertEquals(contract.nodeHttpPort(), Integer.parseInt(env.get("CHAT_HTTP_PORT")));
    assertEquals(contract.nodeHttpPort(), port(c, "http"));
    assertEquals(contract.clusterPort(), Integer.parseInt(env.get("CHAT_CLUSTER_PORT")));
    assertEquals(contract.clusterPort(), port(c, "cluster"));
    List<Map<String, Object>> servicePorts = at(service, "spec", "ports");
    for (Map<String, Object> p : servicePorts) assertEquals(port(c, (String) p.get("targetPort")), p.get("port"));
  }

  @Test
  void probesAreTheNodesReadinessAndHealth() {
    Map<String, Object> c = container(get("StatefulSet/chat-node"));
    assertEquals("/readyz", at(c, "readinessProbe", "httpGet", "path"));
    assertEquals("/healthz", at(c, "livenessProbe", "httpGet", "path"));
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertTrue(contract.nodePaths.contains(at(c, probe, "httpGet", "path")), probe + " path is served by OpsRoutes");
      assertEquals("http", at(c, probe, "httpGet", "port"));
    }
    Map<String, Object> b = container(get("Deployment/chat-balancer"));
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertTrue(contract.balancerPaths.contains(at(b, probe, "httpGet", "path")), probe + " path is served by the balancer");
    }
  }

  @Test
  void aNodeDrainsBeforeItIsKilledAndOnlyOneGoesAtATime() {
    Map<String, Object> sts = get("StatefulSet/chat-node");
    Map<String, Object> c = container(sts);
    List<String> preStop = at(c, "lifecycle", "preStop", "exec", "command");
    int sleep = Integer.parseInt(preStop.get(preStop.size() - 1));
    int grace = at(sts, "spec", "template", "spec", "terminationGracePeriodSeconds");
    assertTrue(grace >= sleep + 30, "grace " + grace + " s covers preStop " + sleep + " s and the node's drain");
    Map<String, Object> pdb = get("PodDisruptionBudget/chat-node");
    assertEquals(DeployContract.<Object>at(sts, "spec", "selector"), at(pdb, "spec", "selector"));
    assertEquals(1, (Integer) at(pdb, "spec", "maxUnavailable"));
    assertEquals(10001L, ((Number) at(sts, "spec", "template", "spec", "securityContext", "runAsUser")).longValue(),
        "the Dockerfile's non-root user");
  }

  @Test
  void theBalancerIsADeploymentInFrontOfEveryPod() {
    Map<String, Object> sts = get("StatefulSet/chat-node");
    Map<String, Object> deployment = get("Deployment/chat-balancer");
    Map<String, Object> c = container(deployment);
    assertEquals(DeployContract.IMAGE, c.get("image"));
    assertEquals(List.of("balancer"), c.get("args"));
    Map<String, String> env = env(c);
    contract.checkEnvironment("chat-balancer Deployment", env);
    assertEquals(contract.balancerPort(), Integer.parseInt(env.get("BALANCER_PORT")));
    assertEquals(contract.balancerPort(), port(c, "http"));
    List<String> expected = new ArrayList<>();
    int replicas = at(sts, "spec", "replicas");
    for (int i = 0; i < replicas; i++) {
      expected.add(at(sts, "metadata", "name") + "-" + i + "." + at(sts, "spec", "serviceName") + ":" + contract.nodeHttpPort());
    }
    assertEquals(expected, List.of(env.get("BALANCER_BACKENDS").split(",")));
    Map<String, Object> service = get("Service/chat-balancer");
    assertEquals(DeployContract.<Object>at(deployment, "spec", "selector", "matchLabels"), at(service, "spec", "selector"));
  }

  @Test
  void databaseAndJwtKeyComeFromSecretsThatHoldThoseKeys() {
    Map<String, String> env = env(container(get("StatefulSet/chat-node")));
    Set<String> fromSecrets = new TreeSet<>();
    for (var e : env.entrySet()) {
      if (!e.getValue().startsWith("secret:")) continue;
      String[] ref = e.getValue().substring("secret:".length()).split("/");
      Map<String, Object> data = at(get("Secret/" + ref[0]), "stringData");
      assertTrue(data.containsKey(ref[1]), "Secret " + ref[0] + " holds " + ref[1]);
      fromSecrets.add(e.getKey());
    }
    assertEquals(Set.of("CHAT_DB_URL", "CHAT_DB_USER", "CHAT_DB_PASSWORD", "CHAT_JWT_SECRET"), fromSecrets);
  }
}
