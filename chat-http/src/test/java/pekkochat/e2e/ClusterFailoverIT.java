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
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 9, acceptance 2 and 4: {@code kill -9} of the node that owns a busy room while senders on the
 * other nodes keep sending, retrying with the same clientId. Sends are acked again within 15 s, every
 * acked message is stored exactly once, every socket ends with the complete sequence, and the killed
 * node's users are offline on the others within 30 s.
 */
@Timeout(300)
class ClusterFailoverIT {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    private static final Duration OFFLINE_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void theRoomsOfAKilledNodeRunElsewhereAndNothingAckedIsLost() throws Exception {
        TestDatabase db = nodes.postgres();
        List<NodeProcess> cluster = nodes.startCluster(3, i -> NodeProcess.builder("failover-" + i).postgres(db)
                .jvm(NodeProcess.liftedRateLimit()));
        Rest.User owner = new Rest(cluster.get(0)).register("owner");
        ClusterIT.HostedRoom hosted = ClusterIT.createHostedRoom(cluster, owner);
        String room = hosted.id();
        int host = hosted.host();
        NodeProcess victim = cluster.get(host);
        int other = (host + 1) % 3;
        int third = (host + 2) % 3;

        Rest.User kim = new Rest(victim).register("kim");
        Rest.User obs = new Rest(cluster.get(other)).register("obs");
        try (ClusterTraffic traffic = new ClusterTraffic(cluster, owner, room);
                WsClient kimOnVictim = WsClient.of(victim, kim)) {
            traffic.sender("send-a", other);
            traffic.sender("send-b", third);
            traffic.sender("send-c", other);
            traffic.reader("read-victim", host); // loses its socket and reconnects elsewhere
            traffic.reader("read-other", other); // keeps its socket throughout
            traffic.reader("read-third", third);
            kimOnVictim.join(room);
            ClusterIT.assertPresenceEverywhere(cluster, obs, kim, "online");

            traffic.start();
            NodeProcess.sleep(4_000);
            long killed = System.nanoTime();
            System.out.println("[failover] kill -9 of " + victim.name() + " at " + java.time.Instant.now());
            victim.kill9();
            long offlineAfter = awaitOffline(cluster, obs, kim, killed);
            NodeProcess.sleep(Math.max(0, FAILOVER_BOUND.toMillis() + 5_000 - Duration.ofNanos(System.nanoTime() - killed).toMillis()));
            traffic.stop();

 System.out.println("[failover] longest wait between acks " + traffic.longestAckGapNote()
                    + "; kim offline after " + offlineAfter + " ms; " + traffic.acked().size() + " acked, "
                    + traffic.reconnects() + " reconnects");
            assertTrue(traffic.longestAckGap().compareTo(FAILOVER_BOUND) <= 0,
                    "sends acked again " + traffic.longestAckGap().toMillis() + " ms after the last ack before the kill");
            traffic.assertNothingLostNorDuplicated();
        }
    }

    /** Polls REST presence on the survivors until kim is offline; returns how long after the kill. */
    private static long awaitOffline(List<NodeProcess> cluster, Rest.User asker, Rest.User user, long killedNanos) {
        long deadline = killedNanos + OFFLINE_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            boolean everywhere = cluster.stream().filter(NodeProcess::isAlive)
                    .allMatch(n -> "offline".equals(ClusterIT.presenceOn(n, asker, user)));
            if (everywhere) return Duration.ofNanos(System.nanoTime() - killedNanos).toMillis();
            NodeProcess.sleep(250);
        }
        throw new AssertionError(user.name() + " still not offline on every survivor " + OFFLINE_BOUND + " after the kill");
    }
}
