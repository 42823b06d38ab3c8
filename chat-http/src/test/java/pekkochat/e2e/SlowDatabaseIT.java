package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TcpRelay;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;

/**
 * Issue 13, the journal outage's other half: the node's PostgreSQL turns slow (seconds per query,
 * through a relay that holds every chunk) for 20 s under traffic, rather than down. No send waits
 * more than a second for its answer, {@code /readyz} says 503 while the database is that slow and
 * 200 when it is fast again, and then service resumes by itself: every acked message is stored
 * once, the sequence goes on without a gap, and every client converges.
 */
@Timeout(300)
class SlowDatabaseIT {
    private static final Duration SLOW_FOR = Duration.ofSeconds(20);
    /** Each way, per chunk: a query then takes at least 3 s. */
    private static final Duration DELAY = Duration.ofMillis(1_500);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);
    private static final Duration READINESS_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aDatabaseTakingSecondsPerQueryCostsFastRefusalsAndLosesNothing() throws Exception {
        TestDatabase db = nodes.postgres();
        try (TcpRelay database = TcpRelay.start("127.0.0.1", db.server())) {
            NodeProcess node = nodes.start(NodeProcess.builder("slow-db")
                    .env("CHAT_DB_URL", db.urlVia("127.0.0.1", database.port())).env("CHAT_DB_USER", TestDatabase.USER)
                    .jvm(NodeProcess.liftedRateLimit()));
            Rest.User owner = new Rest(node).register("owner");
            String room = new Rest(node).createPublicRoom(owner).path("id").asText();
            try (ClusterTraffic traffic = new ClusterTraffic(List.of(node), owner, room)) {
                traffic.sender("send-a", 0);
                traffic.sender("send-b", 0);
                traffic.reader("read", 0);
                traffic.start();
                NodeProcess.sleep(3_000);
                int ackedBefore = traffic.acked().size();

                database.delay(DELAY);
                long slowed = System.nanoTime();
                long unready = node.awaitStatus("/readyz", status -> status == 503, READINESS_BOUND);
                NodeProcess.sleep(Math.max(0, SLOW_FOR.toMillis() - Duration.ofNanos(System.nanoTime() - slowed).toMillis()));
                int ackedWhileSlow = traffic.acked().size();
                database.delay(Duration.ZERO);
                long ready = node.awaitStatus("/readyz", status -> status == 200, Duration.ofSeconds(30));
                NodeProcess.sleep(10_000);
                traffic.stop();

                int ackedAfter = traffic.acked().size();
                System.out.println("[slow-db] acked " + ackedBefore + " before, " + (ackedWhileSlow - ackedBefore)
                        + " while the database was slow, " + (ackedAfter - ackedWhileSlow) + " after; /readyz 503 after "
                        + unready + " ms, 200 again " + ready + " ms after it was fast again; longest answer wait "
                        + traffic.longestAnswerWait().toMillis() + " ms; longest wait between acks " + traffic.longestAckGapNote());
                assertTrue(ackedAfter > ackedWhileSlow, "sends are acked again once the database is fast again");
                assertTrue(traffic.longestAnswerWait().compareTo(ANSWER_BOUND) <= 0,
                        "a send waited " + traffic.longestAnswerWait().toMillis() + " ms for its answer");
                traffic.assertNothingLostNorDuplicated();
            }
        }
    }
}
