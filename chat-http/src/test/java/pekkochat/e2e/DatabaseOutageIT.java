package pekkochat.e2e;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.OwnPostgres;

/**
 * Issue 13, acceptance 1: the node's PostgreSQL (one the test starts itself) stops for 30 s under
 * traffic. No send waits more than a second for its answer, {@code /readyz} says 503 while the
 * database is away and 200 when it is back, and once it is back service resumes by itself: every
 * acked message is stored once, the sequence goes on without a gap, and every client converges.
 */
@Timeout(300)
class DatabaseOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aThirtySecondOutageLosesNothingAndServiceResumesByItself() throws Exception {
        try (OwnPostgres pg = OwnPostgres.start("outage")) {
            NodeProcess node = nodes.start(NodeProcess.builder("outage")
                    .env("CHAT_DB_URL", pg.url("outage")).env("CHAT_DB_USER", OwnPostgres.USER)
                    .jvm(NodeProcess.liftedRateLimit()));
            StorageFault.underTraffic(node, "outage", OUTAGE, pg::stop, pg::startAgain);
        }
    }
}
