package pekkochat.e2e;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TcpRelay;
import pekkochat.testkit.node.TestDatabase;

/**
 * Issue 13, the journal outage's other half: the node's PostgreSQL turns slow (seconds per query,
 * through a relay that holds every chunk) for 20 s under traffic, rather than down. The same
 * promises hold as through an outage ({@link StorageFault}): answers within a second, {@code
 * /readyz} 503 then 200, nothing lost, no gap, service back by itself.
 */
@Timeout(300)
class SlowDatabaseIT {
    private static final Duration SLOW_FOR = Duration.ofSeconds(20);
    /** Each way, per chunk: a query then takes at least 3 s. */
    private static final Duration DELAY = Duration.ofMillis(1_500);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aDatabaseTakingSecondsPerQueryCostsFastRefusalsAndLosesNothing() throws Exception {
        TestDatabase db = nodes.postgres();
        try (TcpRelay database = TcpRelay.start("127.0.0.1", db.server())) {
            NodeProcess node = nodes.start(NodeProcess.builder("slow-db")
                    .env("CHAT_DB_URL", db.urlVia("127.0.0.1", database.port())).env("CHAT_DB_USER", TestDatabase.USER)
                    .jvm(NodeProcess.liftedRateLimit()));
            StorageFault.underTraffic(node, "slow-db", SLOW_FOR, () -> database.delay(DELAY), () -> database.delay(Duration.ZERO));
        }
    }
}
