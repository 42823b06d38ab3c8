package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;
import pekkochat.testkit.ws.WsClient;

/**
 * Issue 13, cluster faults: the node that owns two rooms is frozen with SIGSTOP for longer than the
 * failure detector and the Split Brain Resolver wait. The others down it and the busy room takes
 * sends again on them; once resumed, the frozen node writes nothing (WriteFence), although a send
 * to the quiet room, which no other node has started, waited in its socket the whole time; it shuts
 * down, and every acked message is stored once, in one gapless sequence.
 */
@Timeout(300)
class NodeFreezeIT {
    private static final Duration FREEZE = Duration.ofSeconds(20);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    private static final Duration EXIT_AFTER_RESUME = Duration.ofSeconds(20);
    private static final int ROOM_TRIES = 30;

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aFrozenNodeIsDownedItsRoomsMoveAndOnceResumedItWritesNothing() throws Exception {
        TestDatabase db = nodes.postgres();
        List<NodeProcess> cluster = nodes.startCluster(3, i -> NodeProcess.builder("freeze-" + i).postgres(db)
                .jvm(NodeProcess.liftedRateLimit()));
        Rest.User owner = new Rest(cluster.get(0)).register("owner");
        ClusterIT.HostedRoom hosted = ClusterIT.createHostedRoom(cluster, owner);
        String busy = hosted.id();
        int victimIndex = hosted.host();
        NodeProcess victim = cluster.get(victimIndex);
        String quiet = createRoomOn(cluster, owner, victimIndex);
        int other = (victimIndex + 1) % 3;
        int third = (victimIndex + 2) % 3;
        List<NodeProcess> survivors = List.of(cluster.get(other), cluster.get(third));

        Rest.User quietUser = new Rest(victim).register("quiet");
        try (ClusterTraffic traffic = new ClusterTraffic(cluster, owner, busy);
                WsClient onVictim = WsClient.of(victim, quietUser)) {
            traffic.sender("send-a", other);
            traffic.sender("send-b", third);
            traffic.reader("read-victim", victimIndex);
            traffic.reader("read-other", other);
            onVictim.join(quiet);
            onVictim.sendAndAck(quiet, "q-before", "before the freeze");
            JournalRows journal = new JournalRows(db);
            List<String> victimWriters = journal.writersInOrder(quiet);
            assertTrue(!victimWriters.isEmpty(), "the quiet room has events");

            traffic.start();
            NodeProcess.sleep(4_000);
            long frozen = System.nanoTime();
            victim.freeze();
            System.out.println("[freeze] SIGSTOP of " + victim.name() + " at " + java.time.Instant.now());
            onVictim.send(WsClient.sendFrame(quiet, "q-frozen", "sent while the node was frozen"));
            long downedAfter = awaitDowned(survivors, frozen);
            NodeProcess.sleep(Math.max(0, FREEZE.toMillis() - Duration.ofNanos(System.nanoTime() - frozen).toMillis()));
            long journalBeforeResume = journal.lastOrdering();
            victim.resume();
            int exitCode = victim.awaitExit(EXIT_AFTER_RESUME);
            NodeProcess.sleep(3_000);
            traffic.stop();

            long writtenByResumed = journal.rowsAfter(journalBeforeResume, victimWriters);
            System.out.println("[freeze] downed after " + downedAfter + " ms; resumed node exited with " + exitCode
                    + "; longest wait between acks " + traffic.longestAckGapNote() + "; " + traffic.acked().size()
                    + " acked; events the resumed node wrote: " + writtenByResumed);
            assertTrue(traffic.longestAckGap().compareTo(FAILOVER_BOUND) <= 0,
                    "sends acked again " + traffic.longestAckGap().toMillis() + " ms after the last ack before the freeze");
            assertEquals(0, writtenByResumed, "events the resumed node wrote into the journal");
            traffic.assertNothingLostNorDuplicated();

            // the send that waited in the frozen node's socket, retried on a survivor, is stored once
            try (WsClient retry = WsClient.of(cluster.get(other), quietUser)) {
                retry.join(quiet);
                retry.sendAndAck(quiet, "q-frozen", "sent while the node was frozen");
            }
            JsonNode history = new Rest(cluster.get(other)).history(owner, quiet, null, null).expect(200).json();
            long copies = 0;
            for (JsonNode event : history.path("events")) {
                if ("q-frozen".equals(event.path("clientId").asText(null))) copies++;
            }
            assertEquals(1, copies, "copies of the send that waited in the frozen node's socket: " + history);
        }
    }

    /** Creates public rooms until one starts on node {@code on}. */
    private static String createRoomOn(List<NodeProcess> cluster, Rest.User owner, int on) {
        for (int attempt = 0; attempt < ROOM_TRIES; attempt++) {
            ClusterIT.HostedRoom hosted = ClusterIT.createHostedRoom(cluster, owner);
            if (hosted.host() == on) return hosted.id();
        }
        throw new AssertionError("no room of " + ROOM_TRIES + " started on node " + on);
    }

    /** Polls the survivors' membership gauges until both see two members up; returns how long after the freeze. */
    private static long awaitDowned(List<NodeProcess> survivors, long frozenNanos) {
        long deadline = frozenNanos + FREEZE.toNanos();
        while (System.nanoTime() < deadline) {
            boolean downed = survivors.stream().allMatch(n -> Metrics.sum(
                    Metrics.parse(new Rest(n).getPlain("/metrics").body()), "chat_cluster_members", "status=\"up\"") == 2);
            if (downed) return Duration.ofNanos(System.nanoTime() - frozenNanos).toMillis();
            NodeProcess.sleep(250);
        }
        throw new AssertionError("the survivors did not down the frozen node within " + FREEZE);
    }
}
