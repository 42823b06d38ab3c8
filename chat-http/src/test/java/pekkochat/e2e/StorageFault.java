package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.ClusterTraffic;

/**
 * A database fault under traffic into one room of one node, and PROTOCOL.md's promises through it:
 * no send waits more than a second for its answer, {@code /readyz} says 503 during the fault and
 * 200 after it, sends are acked again afterwards, and every acked message is stored once in a
 * gapless sequence that every client ends with.
 */
final class StorageFault {
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(1);
    private static final Duration READINESS_BOUND = Duration.ofSeconds(10);
    private static final Duration READY_AGAIN_BOUND = Duration.ofSeconds(30);
    private static final long BEFORE_MILLIS = 3_000;
    private static final long AFTER_MILLIS = 10_000;

    private StorageFault() {}

    /** Traffic, then {@code begin} for {@code lasting}, then {@code end}; {@code label} names the fault in the output. */
    static void underTraffic(NodeProcess node, String label, Duration lasting, Runnable begin, Runnable end) throws Exception {
        Rest.User owner = new Rest(node).register("owner");
        String room = new Rest(node).createPublicRoom(owner).path("id").asText();
        try (ClusterTraffic traffic = new ClusterTraffic(List.of(node), owner, room)) {
            traffic.sender("send-a", 0);
            traffic.sender("send-b", 0);
            traffic.reader("read", 0);
            traffic.start();
            NodeProcess.sleep(BEFORE_MILLIS);
            int ackedBefore = traffic.acked().size();

            begin.run();
            long began = System.nanoTime();
            long unready = node.awaitStatus("/readyz", status -> status == 503, READINESS_BOUND);
            NodeProcess.sleep(Math.max(0, lasting.toMillis() - Duration.ofNanos(System.nanoTime() - began).toMillis()));
            int ackedDuring = traffic.acked().size();
            end.run();
            long ready = node.awaitStatus("/readyz", status -> status == 200, READY_AGAIN_BOUND);
            NodeProcess.sleep(AFTER_MILLIS);
            traffic.stop();

            int ackedAfter = traffic.acked().size();
            System.out.println("[" + label + "] acked " + ackedBefore + " before, " + (ackedDuring - ackedBefore)
                    + " during the fault, " + (ackedAfter - ackedDuring) + " after; /readyz 503 after " + unready
                    + " ms, 200 again " + ready + " ms after its end; longest answer wait "
                    + traffic.longestAnswerWait().toMillis() + " ms; longest wait between acks " + traffic.longestAckGapNote());
            assertTrue(ackedAfter > ackedDuring, "sends are acked again once the database is well");
            assertTrue(traffic.longestAnswerWait().compareTo(ANSWER_BOUND) <= 0,
                    "a send waited " + traffic.longestAnswerWait().toMillis() + " ms for its answer");
            traffic.assertNothingLostNorDuplicated();
        }
    }
}
