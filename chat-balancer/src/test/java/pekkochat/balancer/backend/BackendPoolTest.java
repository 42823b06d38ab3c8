package pekkochat.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BackendPoolTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final BackendAddress A = BackendAddress.parse("127.0.0.1:9001");
  private static final BackendAddress B = BackendAddress.parse("127.0.0.1:9002");
  private static final BackendAddress C = BackendAddress.parse("127.0.0.1:9003");
  private static final int RISE = 2;
  private static final int FALL = 3;
  private static final int FALL_NOT_READY = 1;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private ActorRef<BackendPool.Command> pool(BackendAddress... backends) {
    return testKit.spawn(BackendPool.create(List.of(backends), new BackendPool.Thresholds(RISE, FALL, FALL_NOT_READY), new SimpleMeterRegistry()));
  }

  private static void check(ActorRef<BackendPool.Command> pool, BackendAddress backend, boolean passed) {
    pool.tell(new BackendPool.Checked(backend, passed ? CheckResult.answered(200, Instant.now()) : CheckResult.unanswered("timeout", Instant.now())));
  }

  private static void notReady(ActorRef<BackendPool.Command> pool, BackendAddress backend) {
    pool.tell(new BackendPool.Checked(backend, CheckResult.answered(503, Instant.now())));
  }

  private Optional<BackendAddress> choose(ActorRef<BackendPool.Command> pool, BackendPool.Kind kind, Set<BackendAddress> exclude) {
    TestProbe<BackendPool.Chosen> probe = testKit.createTestProbe();
    pool.tell(new BackendPool.Choose(kind, exclude, probe.ref()));
    return probe.receiveMessage().backend();
  }

  private BackendPool.Status status(ActorRef<BackendPool.Command> pool) {
    TestProbe<BackendPool.Status> probe = testKit.createTestProbe();
    pool.tell(new BackendPool.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  private Health health(ActorRef<BackendPool.Command> pool, BackendAddress backend) {
    return status(pool).backends().stream().filter(s -> s.address().equals(backend)).findFirst().orElseThrow().health();
  }

  @Test
  void nothingIsChosenBeforeAFirstPassedCheck() {
    ActorRef<BackendPool.Command> pool = pool(A);
    assertEquals(Optional.empty(), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
    check(pool, A, true);
    assertEquals(Optional.of(A), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
  }

  @Test
  void socketsGoToTheFewestOpenAndTiesTakeTurns() {
    ActorRef<BackendPool.Command> pool = pool(A, B, C);
    List.of(A, B, C).forEach(b -> check(pool, b, true));
    Map<BackendAddress, Integer> count = new HashMap<>();
    for (int i = 0; i < 30; i++) count.merge(choose(pool, BackendPool.Kind.SOCKET, Set.of()).orElseThrow(), 1, Integer::sum);
    assertEquals(Map.of(A, 10, B, 10, C, 10), count);
    for (int i = 0; i < 3; i++) pool.tell(new BackendPool.SocketClosed(B));
    for (int i = 0; i < 3; i++) assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
    assertEquals(30, status(pool).openSockets());
  }

  @Test
  void requestsTakeTurnsAndDoNotCountAsSockets() {
    ActorRef<BackendPool.Command> pool = pool(A, B);
    check(pool, A, true);
    check(pool, B, true);
    assertEquals(Optional.of(A), choose(pool, BackendPool.Kind.REQUEST, Set.of()));
    assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.REQUEST, Set.of()));
    assertEquals(Optional.of(A), choose(pool, BackendPool.Kind.REQUEST, Set.of()));
    assertEquals(0, status(pool).openSockets());
    assertEquals(3, status(pool).backends().stream().mapToLong(BackendState::requestsProxied).sum());
  }

  @Test
  void fallAndRiseThresholdsDecideHealth() {
    ActorRef<BackendPool.Command> pool = pool(A, B);
    check(pool, A, true);
    check(pool, B, true);
    for (int i = 1; i < FALL; i++) check(pool, A, false);
    assertEquals(Health.UP, health(pool, A));
    check(pool, A, false);
    assertEquals(Health.DOWN, health(pool, A));
    for (int i = 0; i < 4; i++) assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
    check(pool, A, true);
    assertEquals(Health.DOWN, health(pool, A));
    check(pool, A, true);
    assertEquals(Health.UP, health(pool, A));
    assertEquals(Optional.of(A), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
  }

  @Test
  void aNotReadyAnswerTakesABackendOutAtOnceAndRiseBringsItBack() {
    ActorRef<BackendPool.Command> pool = pool(A, B);
    check(pool, A, true);
    check(pool, B, true);
    notReady(pool, A);
    assertEquals(Health.DOWN, health(pool, A));
    assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.SOCKET, Set.of()));
    check(pool, A, true);
    assertEquals(Health.DOWN, health(pool, A));
    check(pool, A, true);
    assertEquals(Health.UP, health(pool, A));
  }

  @Test
  void aFailedConnectionTakesABackendOutAtOnce() {
    ActorRef<BackendPool.Command> pool = pool(A, B);
    check(pool, A, true);
    check(pool, B, true);
    pool.tell(new BackendPool.ConnectFailed(A, "refused"));
    assertEquals(Health.DOWN, health(pool, A));
    assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.REQUEST, Set.of()));
    assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.REQUEST, Set.of()));
  }

  @Test
  void triedBackendsAreExcluded() {
    ActorRef<BackendPool.Command> pool = pool(A, B);
    check(pool, A, true);
    check(pool, B, true);
    assertEquals(Optional.of(B), choose(pool, BackendPool.Kind.SOCKET, Set.of(A)));
    assertEquals(Optional.empty(), choose(pool, BackendPool.Kind.SOCKET, Set.of(A, B)));
  }
}
