package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.node.TestDatabase;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * Two nodes joined by {@code CHAT_CLUSTER_SEEDS} into one Pekko cluster on one PostgreSQL journal
 * (PROTOCOL.md §2 "Cluster"): a message sent on one node reaches a reader on the other, with the room's
 * one sequence. Also the example of docs/testing.md for a multi-node test.
 */
@Timeout(180)
class ClusterIT {
    private static final Duration T = Duration.ofSeconds(15);

    // #cluster-extension
    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();
    // #cluster-extension

    @Test
    void aMessageSentOnOneNodeReachesAReaderOnTheOther() {
        // #start-cluster
        TestDatabase db = nodes.postgres(); // the nodes share the journal and tables
        List<NodeProcess> cluster = nodes.startCluster(2, i -> NodeProcess.builder("cluster-" + i).postgres(db));
        NodeProcess first = cluster.get(0);
        NodeProcess second = cluster.get(1);
        // #start-cluster

        // #across-nodes
        Rest.User alice = new Rest(first).register("alice");
        Rest.User bob = new Rest(second).register("bob");
        String room = new Rest(first).createPublicRoom(alice).path("id").asText();
        try (WsClient writer = WsClient.of(first, alice); WsClient reader = WsClient.of(second, bob)) {
            writer.join(room);
            reader.join(room);
            long seq = writer.sendAndAck(room, "across-1", "hello from the first node").path("seq").asLong();

            JsonNode message = reader.awaitMatching(
                    n -> Json.isType(n, "message") && "across-1".equals(n.path("clientId").asText()), T);
            assertEquals(seq, message.path("seq").asLong(), "one sequence for the room, whichever node");
            assertEquals("hello from the first node", message.path("text").asText());
        }
        // #across-nodes
    }
}
