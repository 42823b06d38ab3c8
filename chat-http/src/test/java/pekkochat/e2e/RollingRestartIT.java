package pekkochat.e2e;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;

/**
 * Issue 9, acceptance 3: a rolling restart of all three nodes (SIGTERM, start again, next node) under
 * continuous traffic loses no acked message and stores none twice; every socket, drained and
 * reconnected, ends with the complete sequence.
 */
@Timeout(400)
class RollingRestartIT {
    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aRollingRestartUnderTrafficLosesNothingAndDuplicatesNothing() throws Exception {
        TestDatabase db = nodes.postgres();
        List<NodeProcess> cluster = nodes.startCluster(3, i -> NodeProcess.builder("rolling-" + i).postgres(db)
                .jvm(NodeProcess.liftedRateLimit()));
        Rest.User owner = new Rest(cluster.get(0)).register("owner");
        String room = new Rest(cluster.get(0)).createPublicRoom(owner).path("id").asText();
        try (ClusterTraffic traffic = new ClusterTraffic(cluster, owner, room)) {
            for (int i = 0; i < 3; i++) {
                traffic.sender("send-" + i, i);
                traffic.reader("read-" + i, i);
            }
            traffic.start();
            NodeProcess.sleep(2_000);
            for (NodeProcess node : cluster) {
                node.stop();
                node.restart();
                NodeProcess.sleep(2_000);
            }
            traffic.stop();
            System.out.println("[rolling] " + traffic.acked().size() + " acked, " + traffic.reconnects()
                    + " reconnects, longest wait between acks " + traffic.longestAckGapNote());
            traffic.assertNothingLostNorDuplicated();
        }
    }
}
