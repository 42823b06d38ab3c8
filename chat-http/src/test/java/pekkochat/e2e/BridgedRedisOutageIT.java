package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.OwnRedis;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;

/**
 * Issue 10, acceptance 3: the bridge's Redis (a server of the test's own) stops for 10 s under
 * traffic from both nodes. A send meanwhile is acked or answered (unavailable), never lost in
 * silence; the nodes say {@code redis_unavailable} on {@code /readyz}; when Redis is back, service
 * resumes by itself and every socket converges on the room's complete sequence.
 */
@Timeout(300)
class BridgedRedisOutageIT {
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration READY_AFTER_REDIS = Duration.ofSeconds(30);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void sendsDuringARedisOutageAreAnsweredAndEverySocketConvergesAfterIt() throws Exception {
        TestDatabase db = nodes.postgres();
        try (OwnRedis redis = OwnRedis.start()) {
            String namespace = ChatNodes.redisNamespace();
            List<NodeProcess> bridged = List.of(
                    nodes.start(NodeProcess.builder("outage-0").postgres(db).bridged(redis.url(), namespace)
                            .jvm(NodeProcess.liftedRateLimit())),
                    nodes.start(NodeProcess.builder("outage-1").postgres(db).bridged(redis.url(), namespace)
                            .jvm(NodeProcess.liftedRateLimit())));
            Rest.User owner = new Rest(bridged.get(0)).register("owner");
            String room = new Rest(bridged.get(0)).createPublicRoom(owner).path("id").asText();
            try (ClusterTraffic traffic = new ClusterTraffic(bridged, owner, room)) {
                traffic.sender("send-0", 0);
                traffic.sender("send-1", 1);
                traffic.reader("read-0", 0);
                traffic.reader("read-1", 1);
                traffic.start();
                NodeProcess.sleep(3_000);
                int ackedBefore = traffic.acked().size();

                redis.stop();
                NodeProcess.sleep(3_000);
                for (NodeProcess node : bridged) {
                    assertEquals(503, node.status("/readyz"), node.name() + " says it cannot take traffic without Redis");
                }
                NodeProcess.sleep(OUTAGE.toMillis() - 3_000);
                redis.startAgain();
                long back = System.nanoTime();
                for (NodeProcess node : bridged) node.awaitStatus("/readyz", status -> status == 200, READY_AFTER_REDIS);
                long readyAfter = Duration.ofNanos(System.nanoTime() - back).toMillis();
                NodeProcess.sleep(5_000);
                traffic.stop();

                System.out.println("[bridged-outage] " + ackedBefore + " acked before the outage, " + traffic.acked().size()
                        + " in all; ready again " + readyAfter + " ms after Redis returned; longest wait between acks "
                        + traffic.longestAckGapNote() + "; longest answer " + traffic.longestAnswerWait().toMillis() + " ms");
                assertTrue(traffic.acked().size() > ackedBefore + 20, "sends are acked again after the outage");
                traffic.assertNothingLostNorDuplicated();
            }
        }
    }

    @Test
    void aNodeWhoseRedisCannotBeReachedAtStartSaysSoAndStartsWhenItCan() {
        TestDatabase db = nodes.postgres();
        try (OwnRedis redis = OwnRedis.start()) {
            redis.stop(); // its port is known, and nothing listens there yet
            NodeProcess node = NodeProcess.builder("no-redis-yet").postgres(db).bridged(redis.url(), ChatNodes.redisNamespace())
                    .launch();
            try {
                String said = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!said.equals("redis_unavailable") && System.nanoTime() < deadline) {
                    NodeProcess.sleep(500);
                    said = readyzBody(node);
                }
                assertEquals("redis_unavailable", said, "/readyz names what the node waits for");
                assertTrue(node.logTail(200).contains("Redis subscription"), "and its log says it retries:\n" + node.logTail(20));

                redis.startAgain();
                node.awaitStatus("/readyz", status -> status == 200, READY_AFTER_REDIS);
            } finally {
                node.close();
            }
        }
    }

    private static String readyzBody(NodeProcess node) {
        try {
            return new Rest(node).getPlain("/readyz").body().trim();
        } catch (RuntimeException | AssertionError notListeningYet) {
            return "";
        }
    }
}
