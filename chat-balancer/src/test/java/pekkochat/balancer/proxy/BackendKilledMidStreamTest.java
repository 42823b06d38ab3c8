package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pekkochat.balancer.support.ChildProcess;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.RawWsBackend;
import pekkochat.balancer.support.RawWsBackendMain;
import pekkochat.balancer.support.RawWsClient;
import pekkochat.balancer.support.WireFrames;
import pekkochat.testkit.node.Ports;

/**
 * A backend process killed with SIGKILL while it writes frames of up to 60 KiB as fast as it can:
 * every proxied client reads whole frames, in order, then the balancer's {@code closing} frame with
 * reason {@code draining} and a close frame, then the end. A frame cut short by the kill and sent
 * on in part would turn the next header into payload, and the reader below into garbage.
 */
class BackendKilledMidStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CLIENTS = 4;
  /** frames each client reads before the kill, so that the kill surely falls mid-stream */
  private static final int BEFORE_KILL = 200;

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

  /** What one client saw: the flood frames it read, and the frames after the flood ended. */
  private record Seen(long floodFrames, List<WireFrames.Frame> after) {}

  @Test
  void everyClientGetsDrainingBetweenTwoFramesWhenItsBackendIsKilledMidStream() throws Exception {
    int port = Ports.free();
    ChildProcess victim = closing(ChildProcess.start("raw-victim",
        ChildProcess.javaOnTestClassPath(RawWsBackendMain.class.getName(), Integer.toString(port)),
        Map.of(), tmp.resolve("raw-victim.log")));
    victim.awaitOk("http://127.0.0.1:" + port + "/readyz", Duration.ofSeconds(60));
    String address = "127.0.0.1:" + port;
    InProcessBalancer balancer = closing(new InProcessBalancer(List.of(address), ""));
    balancer.awaitUp(List.of(address));

    List<CompletableFuture<Seen>> seen = new ArrayList<>();
    List<CompletableFuture<Void>> warm = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      RawWsClient client = closing(RawWsClient.upgrade(balancer.port(), "/ws?flood=1", Map.of(), 0));
      assertEquals(101, client.answer().status());
      CompletableFuture<Void> warmedUp = new CompletableFuture<>();
      warm.add(warmedUp);
      seen.add(CompletableFuture.supplyAsync(() -> read(client, warmedUp)));
    }
    CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
    victim.kill9();

    for (CompletableFuture<Seen> future : seen) {
      Seen s = future.orTimeout(20, TimeUnit.SECONDS).join();
      assertTrue(s.floodFrames() >= BEFORE_KILL, "read " + s.floodFrames());
      assertEquals(2, s.after().size(), "after the flood: " + s.after());
      JsonNode closing = JSON.readTree(s.after().get(0).text());
      assertEquals(WireFrames.TEXT, s.after().get(0).opcode());
      assertEquals("closing", closing.get("type").asText());
      assertEquals("draining", closing.get("reason").asText());
      assertEquals(WireFrames.CLOSE, s.after().get(1).opcode());
      assertEquals(1001, s.after().get(1).closeCode());
    }
  }

  /**
   * Reads flood frames, each checked whole against what the backend writes for its seq, until the
   * first frame that is not the next one; then the rest up to the end of the connection.
   */
  private static Seen read(RawWsClient client, CompletableFuture<Void> warmedUp) {
    long seq = 0;
    List<WireFrames.Frame> after = new ArrayList<>();
    try {
      while (true) {
        WireFrames.Frame frame = client.readFrame();
        if (after.isEmpty() && frame.opcode() == WireFrames.TEXT && java.util.Arrays.equals(frame.payload(), RawWsBackend.floodPayload(seq + 1))) {
          seq++;
          if (seq == BEFORE_KILL) warmedUp.complete(null);
        } else {
          after.add(frame);
        }
      }
    } catch (EOFException end) {
      return new Seen(seq, after);
    } catch (Exception e) {
      throw new AssertionError("after " + seq + " flood frames and " + after + ": " + e, e);
    }
  }
}
