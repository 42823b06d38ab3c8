package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;
import pekkochat.testkit.ws.WsClient;
import redis.clients.jedis.RedisClient;

/**
 * Issue 10, acceptance 2: {@code kill -9} of the bridged node that holds a busy room's lease while
 * the other keeps sending, retrying with the same clientId. Sends are acked again within 15 s, every
 * acked message is stored exactly once in one gapless sequence, and the killed node, restarted,
 * serves the room as a follower of the node that took its lease. The killed node's users are offline
 * on the other within 30 s.
 */
@Timeout(300)
class BridgedFailoverIT {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    private static final Duration OFFLINE_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void theRoomsOfAKilledWriterAreWrittenByTheOtherNodeAndNothingAckedIsLost() throws Exception {
        TestDatabase db = nodes.postgres();
        String redis = nodes.redis();
        String namespace = ChatNodes.redisNamespace();
        List<NodeProcess> bridged = List.of(
                nodes.start(NodeProcess.builder("bridged-writer").postgres(db).bridged(redis, namespace)
                        .jvm(NodeProcess.liftedRateLimit())),
                nodes.start(NodeProcess.builder("bridged-other").postgres(db).bridged(redis, namespace)
                        .jvm(NodeProcess.liftedRateLimit())));
        NodeProcess victim = bridged.get(0);
        NodeProcess survivor = bridged.get(1);
        Rest.User owner = new Rest(victim).register("owner");
        String room = new Rest(victim).createPublicRoom(owner).path("id").asText(); // its creator's node writes it

        Rest.User kim = new Rest(victim).register("kim");
        Rest.User obs = new Rest(survivor).register("obs");
        try (RedisClient keys = RedisClient.create(URI.create(redis));
                ClusterTraffic traffic = new ClusterTraffic(bridged, owner, room);
                WsClient kimOnVictim = WsClient.of(victim, kim)) {
            kimOnVictim.join(room);
            BridgedIT.assertPresenceOn(survivor, obs, kim, "online");
            String lease = namespace + ":lease:" + room;
            assertTrue(keys.get(lease).startsWith(nodeId(victim) + "/"), "the creating node holds the lease: " + keys.get(lease));
            traffic.sender("send-a", 1);
            traffic.sender("send-b", 1);
            traffic.reader("read-victim", 0); // loses its socket and reconnects to the survivor
            traffic.reader("read-survivor", 1); // keeps its socket throughout

            traffic.start();
            NodeProcess.sleep(3_000);
            long killed = System.nanoTime();
            victim.kill9();
            long offlineAfter = awaitOffline(survivor, obs, kim, killed);
            NodeProcess.sleep(Math.max(0, FAILOVER_BOUND.toMillis() + 3_000 - Duration.ofNanos(System.nanoTime() - killed).toMillis()));
            assertTrue(keys.get(lease).startsWith(nodeId(survivor) + "/"), "the survivor took the lease: " + keys.get(lease));

            victim.restart();
            try (WsClient onRestarted = WsClient.of(victim, new Rest(victim).register("late"))) {
                onRestarted.join(room);
                onRestarted.sendAndAck(room, "after-restart", "through the restarted node");
            }
            assertTrue(keys.get(lease).startsWith(nodeId(survivor) + "/"),
                    "the restarted node follows the survivor: " + keys.get(lease));
            traffic.stop();
            System.out.println("[bridged-failover] longest wait between acks " + traffic.longestAckGapNote() + "; "
                    + "kim offline on the survivor after " + offlineAfter + " ms; " + traffic.acked().size() + " acked, " + traffic.reconnects() + " reconnects, killed "
                    + Duration.ofNanos(System.nanoTime() - killed).toSeconds() + " s ago");
            assertTrue(traffic.longestAckGap().compareTo(FAILOVER_BOUND) <= 0,
                    "sends acked again " + traffic.longestAckGap().toMillis() + " ms after the last ack before the kill");
            traffic.assertNothingLostNorDuplicated();
        }
    }

    /** Polls REST presence on the survivor until kim is offline; returns how long after the kill. */
    private static long awaitOffline(NodeProcess survivor, Rest.User asker, Rest.User user, long killedNanos) {
        long deadline = killedNanos + OFFLINE_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if ("offline".equals(ClusterIT.presenceOn(survivor, asker, user))) {
                return Duration.ofNanos(System.nanoTime() - killedNanos).toMillis();
            }
            NodeProcess.sleep(250);
        }
        throw new AssertionError(user.name() + " still not offline on the survivor " + OFFLINE_BOUND + " after the kill");
    }

    private static String nodeId(NodeProcess node) {
        return "127.0.0.1:" + node.httpPort();
    }
}
