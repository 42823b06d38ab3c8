package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pekkochat.balancer.support.ChildProcess;
import pekkochat.balancer.support.EchoBackend;
import pekkochat.balancer.support.EchoBackendMain;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.Waits;
import pekkochat.testkit.node.Ports;
import pekkochat.testkit.ws.WsClient;

/** A backend process killed with SIGKILL under open proxied sockets, then started again. */
class BackendDeathTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROMPTLY = Duration.ofSeconds(3);
  private static final Duration MARKED_DOWN_WITHIN = Duration.ofSeconds(5);

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private ChildProcess startBackendProcess(int port) {
    ChildProcess process = closing(ChildProcess.start("victim",
        ChildProcess.javaOnTestClassPath(EchoBackendMain.class.getName(), "victim", Integer.toString(port)),
        Map.of(), tmp.resolve("victim-" + System.nanoTime() + ".log")));
    process.awaitOk("http://127.0.0.1:" + port + "/readyz", Duration.ofSeconds(60));
    return process;
  }

  private static String backendOf(WsClient client) throws Exception {
    client.send("whoami");
    return JSON.readTree(client.nextText(PROMPTLY)).get("backend").asText();
  }

  @Test
  void killedBackendsSocketsCloseWithDrainingItIsSkippedAndUsedAgainAfterRestart() throws Exception {
    int victimPort = Ports.free();
    ChildProcess victim = startBackendProcess(victimPort);
    EchoBackend survivor = closing(new EchoBackend("survivor", Ports.free()));
    String victimAddress = "127.0.0.1:" + victimPort;
    InProcessBalancer balancer = closing(new InProcessBalancer(List.of(victimAddress, survivor.address()), ""));
    balancer.awaitUp(List.of(victimAddress, survivor.address()));

    List<WsClient> onVictim = new ArrayList<>();
    List<WsClient> onSurvivor = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WsClient client = closing(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()));
      (backendOf(client).equals("victim") ? onVictim : onSurvivor).add(client);
    }
    assertEquals(3, onVictim.size());

    victim.kill9();
    long killedAt = System.nanoTime();
    for (WsClient client : onVictim) {
      JsonNode closing = JSON.readTree(client.nextText(PROMPTLY));
      assertEquals("closing", closing.get("type").asText());
      assertEquals("draining", closing.get("reason").asText());
      client.closed().orTimeout(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS).join();
    }
    for (WsClient client : onSurvivor) assertEquals("survivor", backendOf(client));

    Waits.until(MARKED_DOWN_WITHIN, "victim marked down",
        () -> balancer.backend(victimAddress).get("health").asText().equals("down"));
    assertTrue(System.nanoTime() - killedAt < MARKED_DOWN_WITHIN.toNanos());
    for (int i = 0; i < 4; i++) {
      assertEquals("survivor", backendOf(closing(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()))));
    }

    startBackendProcess(victimPort);
    Waits.until(MARKED_DOWN_WITHIN, "victim up again", () -> balancer.backend(victimAddress).get("health").asText().equals("up"));
    // the survivor holds 7 sockets, the restarted victim none: the next ones all go to the victim
    for (int i = 0; i < 3; i++) {
      assertEquals("victim", backendOf(closing(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()))));
    }
  }

  @Test
  void anUpgradeToABackendThatCannotBeReachedGoesToAnotherOne() throws Exception {
    int victimPort = Ports.free();
    ChildProcess victim = startBackendProcess(victimPort);
    EchoBackend survivor = closing(new EchoBackend("survivor", Ports.free()));
    String victimAddress = "127.0.0.1:" + victimPort;
    InProcessBalancer balancer = closing(new InProcessBalancer(List.of(victimAddress, survivor.address()), "balancer.health.interval = 10m"));
    balancer.awaitUp(List.of(victimAddress, survivor.address()));
    victim.kill9();
    // with no checks running the victim still looks up; the failed connect takes it out and the upgrade goes on
    for (int i = 0; i < 3; i++) {
      assertEquals("survivor", backendOf(closing(WsClient.connect(balancer.ws("/ws?token=good"), Map.of()))));
    }
    assertEquals("down", balancer.backend(victimAddress).get("health").asText());
  }
}
