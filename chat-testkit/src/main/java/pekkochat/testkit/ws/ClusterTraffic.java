package pekkochat.testkit.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;

/**
 * Continuous traffic into one room of a cluster while nodes fail or restart: senders that retry with
 * the same clientId, readers that reconnect from their last seq, and the checks of PROTOCOL.md §2
 * afterwards (every acked message stored exactly once, every socket complete and in order).
 */
public final class ClusterTraffic implements AutoCloseable {
    private static final Duration SEND_GIVE_UP = Duration.ofSeconds(60);
    private static final Duration ATTEMPT = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofMillis(50);

    private final List<NodeProcess> cluster;
    private final String room;
    private final Rest.User owner;
    private final List<ResilientClient> senders = new ArrayList<>();
    private final List<ResilientClient> readers = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Future<?>> running = new ArrayList<>();

    public ClusterTraffic(List<NodeProcess> cluster, Rest.User owner, String room) {
        this.cluster = cluster;
        this.owner = owner;
        this.room = room;
    }

    public String room() {
        return room;
    }

    /** A sender connected first to {@code node}; it sends "name-1", "name-2", … until stopped. */
    public void sender(String name, int node) {
        senders.add(new ResilientClient(cluster, new Rest(cluster.get(node)).register(name), room, node, ATTEMPT));
    }

    /** A reader connected first to {@code node}. */
    public void reader(String name, int node) {
        readers.add(new ResilientClient(cluster, new Rest(cluster.get(node)).register(name), room, node, ATTEMPT));
    }

    public void start() {
        for (int i = 0; i < senders.size(); i++) {
            ResilientClient sender = senders.get(i);
            String prefix = "m" + i + "-";
            running.add(threads.submit(() -> {
                for (int n = 1; !stop.get() && n < 100_000; n++) {
                    sender.send(prefix + n, "traffic " + prefix + n, SEND_GIVE_UP);
                    NodeProcess.sleep(PAUSE.toMillis());
                }
                return null;
            }));
        }
        for (ResilientClient reader : readers) {
            running.add(threads.submit(() -> {
                while (!stop.get()) reader.readFor(Duration.ofMillis(500));
                return null;
            }));
        }
    }

    /** Stops sending (each sender finishes its send in flight) and waits for every thread. */
    public void stop() throws Exception {
        stop.set(true);
        for (Future<?> f : running) f.get(SEND_GIVE_UP.toSeconds() + 30, TimeUnit.SECONDS);
    }

    public Map<String, Long> acked() {
        Map<String, Long> acks = new HashMap<>();
        senders.forEach(s -> acks.putAll(s.acked()));
        return acks;
    }

    public Duration longestAckGap() {
        return senders.stream().map(ResilientClient::longestAckGap).max(Duration::compareTo).orElseThrow();
    }

    public Duration longestAnswerWait() {
        return senders.stream().map(ResilientClient::longestAnswerWait).max(Duration::compareTo).orElseThrow();
    }

    /** The longest wait between two acks of one sender, and when (UTC) it ended. */
    public String longestAckGapNote() {
        ResilientClient worst = senders.stream()
                .max((a, b) -> a.longestAckGap().compareTo(b.longestAckGap())).orElseThrow();
        return worst.longestAckGap().toMillis() + " ms, ended " + java.time.Instant.ofEpochMilli(worst.longestAckGapEndedAt());
    }

    public int reconnects() {
        return readers.stream().mapToInt(ResilientClient::reconnects).sum()
                + senders.stream().mapToInt(ResilientClient::reconnects).sum();
    }

    /**
     * The room's whole history read over REST from a live node: every acked message is in it exactly
     * once at its acked seq, no clientId is stored twice, and every reader and sender socket delivered
     * exactly the history's messages, in order, with no gap or repeat on any socket.
     */
    public void assertNothingLostNorDuplicated() {
        Map<String, Long> acks = acked();
        assertTrue(acks.size() > 0, "no send was acked at all");
        NodeProcess live = cluster.stream().filter(NodeProcess::isAlive).findFirst().orElseThrow();
        SortedMap<Long, String> history = history(new Rest(live), owner, room);
        Map<String, Long> stored = new HashMap<>();
        history.forEach((seq, clientId) -> {
            Long first = stored.put(clientId, seq);
            assertEquals(null, first, "clientId " + clientId + " stored twice, at " + first + " and " + seq);
        });
        acks.forEach((clientId, seq) -> assertEquals(seq, stored.get(clientId), "acked " + clientId));
        long head = history.isEmpty() ? 0 : history.lastKey();
        List<ResilientClient> all = new ArrayList<>(readers);
        all.addAll(senders);
        for (ResilientClient c : all) {
            c.awaitDelivered(head, Duration.ofSeconds(30));
            assertEquals(List.of(), c.breaches(), "one socket's events come in seq order, each once");
            assertEquals(history, c.delivered(), "a client ends with the room's complete sequence");
        }
    }

    /**
     * seq → clientId of every message of {@code room}, paged back over REST from the newest (pages
     * may be cut by bytes); asserts the room's sequence has no gap.
     */
    public static SortedMap<Long, String> history(Rest rest, Rest.User user, String room) {
        SortedMap<Long, String> messages = new TreeMap<>();
        Long before = null;
        long expectedNext = -1;
        while (true) {
            JsonNode events = rest.history(user, room, before, 200).expect(200).json().path("events");
            if (events.isEmpty()) return messages;
            for (int i = events.size() - 1; i >= 0; i--) {
                JsonNode event = events.get(i);
                long seq = event.path("seq").asLong();
                if (expectedNext != -1) assertEquals(expectedNext, seq, "the journal's sequence has no gap");
                expectedNext = seq - 1;
                if (Json.isType(event, "message")) messages.put(seq, event.path("clientId").asText());
            }
            before = events.get(0).path("seq").asLong();
        }
    }

    @Override
    public void close() {
        stop.set(true);
        threads.shutdownNow();
        senders.forEach(ResilientClient::close);
        readers.forEach(ResilientClient::close);
    }
}
