package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.OwnPostgres;
import pekkochat.testkit.rest.Rest;

/**
 * Issue 13, acceptance 1: the node's PostgreSQL (one the test starts itself) stops for 30 s under
 * traffic. No send waits more than a second for its answer, {@code /readyz} says 503 while the
 * database is away and 200 when it is back, and once it is back service resumes by itself: every
 * acked message is stored once, the sequence goes on without a gap, and every client converges.
 */
@Timeout(300)
class DatabaseOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);
    private static final Duration READINESS_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aThirtySecondOutageLosesNothingAndServiceResumesByItself() throws Exception {
        try (OwnPostgres pg = OwnPostgres.start("outage")) {
            NodeProcess node = nodes.start(NodeProcess.builder("outage")
                    .env("CHAT_DB_URL", pg.url("outage")).env("CHAT_DB_USER", OwnPostgres.USER)
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

                pg.stop();
                long stopped = System.nanoTime();
                long unready = node.awaitStatus("/readyz", status -> status == 503, READINESS_BOUND);
                NodeProcess.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - stopped).toMillis()));
                int ackedDuring = traffic.acked().size();
                pg.startAgain();
                long ready = node.awaitStatus("/readyz", status -> status == 200, Duration.ofSeconds(30));
                NodeProcess.sleep(10_000);
                traffic.stop();

                int ackedAfter = traffic.acked().size();
                System.out.println("[outage] acked " + ackedBefore + " before, " + (ackedDuring - ackedBefore)
                        + " while the database was away, " + (ackedAfter - ackedDuring) + " after; /readyz 503 after "
                        + unready + " ms, 200 again " + ready + " ms after the restart; longest answer wait "
                        + traffic.longestAnswerWait().toMillis() + " ms; longest wait between acks " + traffic.longestAckGapNote());
                assertTrue(ackedAfter > ackedDuring, "sends are acked again once the database is back");
                assertTrue(traffic.longestAnswerWait().compareTo(ANSWER_BOUND) <= 0,
                        "a send waited " + traffic.longestAnswerWait().toMillis() + " ms for its answer");
                traffic.assertNothingLostNorDuplicated();
            }
        }
    }
}
