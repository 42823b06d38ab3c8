package pekkochat.testkit.ws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;

/**
 * One room's socket that rides out node failures as a careful client does (PROTOCOL.md sections 2
 * and 5): when its socket ends it connects to the next live node and joins again from the last seq
 * it delivered; a send answered {@code unavailable}, or not answered in time, goes again with the
 * same {@code clientId}. It records what it delivered, what was acked, and every breach of the
 * per-socket order guarantee (a gap or a repeat), for the test to judge. Not thread-safe: one
 * thread per client.
 */
public final class ResilientClient implements AutoCloseable {
    private static final Duration CONNECT_RETRY = Duration.ofMillis(250);
    private static final Set<String> TIMELINE = Set.of("message", "edited", "deleted", "member");

    private final List<NodeProcess> nodes;
    private final Rest.User user;
    private final String room;
    private final Duration attemptTimeout;
    private int nodeIndex;
    private WsClient socket;
    /** The server said {@code closing}, or a write failed: the socket is done even if not yet closed. */
    private boolean socketDone;
    private long delivered;
    private final SortedMap<Long, String> seen = new TreeMap<>();
    private final Map<String, Long> acked = new LinkedHashMap<>();
    private final List<String> breaches = new ArrayList<>();
    private long lastAckNanos;
    private long longestAckGapNanos;
    private long longestAckGapEndMillis;
    /** The longest a send waited for its answer (ack or error); an unanswered attempt counts whole. */
    private long longestAnswerWaitNanos;
    private int reconnects;
    private String connectedTo = "";
    /** The last answers to sends, for the message of a send that never got through. */
    private final java.util.ArrayDeque<String> lastAnswers = new java.util.ArrayDeque<>();

    /**
     * Connects to {@code nodes.get(firstNode)} (or the next live one) and joins {@code room} from
     * its start; each send attempt waits at most {@code attemptTimeout} for its answer.
     */
    public ResilientClient(List<NodeProcess> nodes, Rest.User user, String room, int firstNode, Duration attemptTimeout) {
        this.nodes = List.copyOf(nodes);
        this.user = user;
        this.room = room;
        this.attemptTimeout = attemptTimeout;
        this.nodeIndex = firstNode % nodes.size();
        reconnect(System.nanoTime() + Duration.ofSeconds(60).toNanos());
    }

    /** Sends until acked and returns the seq; fails when no ack came within {@code giveUpAfter}. */
    public long send(String clientId, String text, Duration giveUpAfter) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        while (System.nanoTime() < deadline) {
            if (socketEnded()) reconnect(deadline);
            try {
                socket.send(WsClient.sendFrame(room, clientId, text).put("ref", clientId));
            } catch (RuntimeException | AssertionError sendFailed) {
                socketDone = true; // the socket ended under us: reconnect and retry
                continue;
            }
            long sent = System.nanoTime();
            Answer answer = awaitAnswer(clientId, Math.min(deadline, sent + attemptTimeout.toNanos()));
            if (!socketEnded()) longestAnswerWaitNanos = Math.max(longestAnswerWaitNanos, answer.atNanos() - sent);
            if (answer.seq() != null) return answer.seq();
            if (!socketEnded()) remember(java.time.LocalTime.now() + " no answer");
        }
        throw new AssertionError(user.name() + ": no ack for " + clientId + " within " + giveUpAfter
                + " (" + reconnects + " reconnects, on " + connectedTo + ", last answers " + lastAnswers + ")");
    }

    /** Reads until this socket delivered every event up to {@code seq}, reconnecting as needed. */
    public void awaitDelivered(long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered < seq) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(user.name() + " delivered up to " + delivered + ", not " + seq + " within " + timeout);
            }
            if (socketEnded()) reconnect(deadline);
            JsonNode n = socket.poll(Duration.ofMillis(200));
            if (n != null) absorb(n);
        }
    }

    /** Reads whatever arrives for {@code d}. */
    public void readFor(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            if (socketEnded()) reconnect(deadline + Duration.ofSeconds(30).toNanos());
            JsonNode n = socket.poll(Duration.ofMillis(100));
            if (n != null) absorb(n);
        }
    }

    /** seq → clientId of every message this client delivered, whichever socket it came on. */
    public SortedMap<Long, String> delivered() {
        return seen;
    }

    /** clientId → seq of every acked send. */
    public Map<String, Long> acked() {
        return acked;
    }

    /** Gaps and repeats seen on one socket: PROTOCOL.md section 2 item 3 says there are none. */
    public List<String> breaches() {
        return breaches;
    }

    /** The longest time between two acks (or from the first send to the first ack). */
    public Duration longestAckGap() {
        return Duration.ofNanos(longestAckGapNanos);
    }

    /**
     * The longest a send waited on a live socket for its answer, an ack or an error (PROTOCOL.md
     * section 5: about a second); an attempt with no answer counts as the whole attempt timeout.
     */
    public Duration longestAnswerWait() {
        return Duration.ofNanos(longestAnswerWaitNanos);
    }

    /** When (epoch ms) the longest gap between acks ended, for lining it up with node logs. */
    public long longestAckGapEndedAt() {
        return longestAckGapEndMillis;
    }

    public int reconnects() {
        return reconnects;
    }

    /** A send's answer: its seq when acked, else null; when it came (or the attempt ended). */
    private record Answer(Long seq, long atNanos) {}

    private Answer awaitAnswer(String clientId, long deadline) {
        while (true) {
            long now = System.nanoTime();
            if (deadline - now <= 0 || socketEnded()) return new Answer(null, now);
            JsonNode n = socket.poll(Duration.ofNanos(Math.min(deadline - now, Duration.ofMillis(200).toNanos())));
            if (n == null) continue;
            absorb(n);
            if (Json.isType(n, "ack") && clientId.equals(n.path("clientId").asText())) {
                return new Answer(n.path("seq").asLong(), System.nanoTime());
            }
            if (Json.isType(n, "error") && clientId.equals(n.path("ref").asText())) {
                remember(java.time.LocalTime.now() + " " + n.path("code").asText());
                if (!"unavailable".equals(n.path("code").asText())) {
                    throw new AssertionError(user.name() + ": send " + clientId + " refused: " + n);
                }
                return new Answer(null, System.nanoTime());
            }
        }
    }

    private void remember(String answer) {
        if (lastAnswers.size() == 5) lastAnswers.removeFirst();
        lastAnswers.addLast(answer);
    }

    private void absorb(JsonNode n) {
        if (Json.isType(n, "closing")) socketDone = true;
        if (Json.isType(n, "ack") && room.equals(n.path("room").asText())) {
            long now = System.nanoTime();
            if (lastAckNanos != 0 && now - lastAckNanos > longestAckGapNanos) {
                longestAckGapNanos = now - lastAckNanos;
                longestAckGapEndMillis = System.currentTimeMillis();
            }
            lastAckNanos = now;
            acked.put(n.path("clientId").asText(), n.path("seq").asLong());
        } else if (TIMELINE.contains(n.path("type").asText()) && room.equals(n.path("room").asText())) {
            long seq = n.path("seq").asLong();
            if (seq != delivered + 1) {
                breaches.add((seq <= delivered ? "repeat " : "gap before ") + seq + " after " + delivered
                        + " (socket " + reconnects + ")");
            }
            if (seq > delivered) delivered = seq;
            if (Json.isType(n, "message")) seen.put(seq, n.path("clientId").asText());
        }
    }

    private boolean socketEnded() {
        return socket == null || socketDone || (socket.closed().isDone() && !socket.hasPending());
    }

    private void reconnect(long deadline) {
        if (socket != null) {
            socket.close();
            reconnects++;
        }
        socket = null;
        socketDone = false;
        while (System.nanoTime() < deadline) {
            NodeProcess node = nodes.get(nodeIndex);
            nodeIndex = (nodeIndex + 1) % nodes.size();
            if (!node.isAlive()) continue;
            WsClient candidate = null;
            try {
                candidate = WsClient.of(node, user);
                candidate.join(room, delivered);
                socket = candidate;
                connectedTo = node.name() + " at " + java.time.LocalTime.now();
                return;
            } catch (RuntimeException | AssertionError refused) {
                if (candidate != null) candidate.close();
                NodeProcess.sleep(CONNECT_RETRY.toMillis());
            }
        }
        throw new AssertionError(user.name() + ": could not join " + room + " on any node before the deadline");
    }

    @Override
    public void close() {
        if (socket != null) socket.close();
    }
}
