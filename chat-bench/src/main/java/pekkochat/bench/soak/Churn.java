package pekkochat.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * The soak's short-lived sockets: one user that connects to a live node, joins a room, sends,
 * edits and deletes its own message, types, marks it read, sets its presence, and closes, again
 * and again. Every answer is counted by kind; during node restarts some are {@code unavailable}
 * or the socket is gone, which counts too and is not a failure.
 */
final class Churn {
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private final List<NodeProcess> nodes;
    private final List<String> rooms;
    private final Rest.User user;
    private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private long sequence;

    Churn(List<NodeProcess> nodes, List<String> rooms, Rest.User user) {
        this.nodes = nodes;
        this.rooms = rooms;
        this.user = user;
    }

    /** One socket's life after another, until {@code stop}. */
    void run(BooleanSupplier stop, Duration pause) {
        while (!stop.getAsBoolean()) {
            NodeProcess node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            if (node.isAlive()) {
                try (WsClient socket = WsClient.of(node, user)) {
                    oneLife(socket, rooms.get(ThreadLocalRandom.current().nextInt(rooms.size())));
                } catch (RuntimeException | AssertionError e) {
                    count("socket-failed");
                }
            }
            NodeProcess.sleep(pause.toMillis());
        }
    }

    private void oneLife(WsClient socket, String room) {
        socket.join(room);
        count("joined");
        String clientId = user.name() + "-" + (++sequence);
        String ref = socket.nextRef();
        socket.send(WsClient.sendFrame(room, clientId, "churn " + clientId).put("ref", ref));
        JsonNode sent = socket.awaitMatching(n -> Json.isType(n, "ack") && clientId.equals(n.path("clientId").asText(null))
                || Json.isType(n, "error") && ref.equals(n.path("ref").asText(null)), ANSWER);
        if (!Json.isType(sent, "ack")) {
            count("send-" + sent.path("code").asText());
            return;
        }
        count("sent");
        long seq = sent.path("seq").asLong();
        answer(socket, Json.object().put("type", "edit").put("room", room).put("target", seq).put("text", "edited " + clientId), "edit");
        socket.send(Json.object().put("type", "typing").put("room", room));
        answer(socket, Json.object().put("type", "read").put("room", room).put("seq", seq), "read");
        socket.send(Json.object().put("type", "presence").put("status", ThreadLocalRandom.current().nextBoolean() ? "away" : "online"));
        if (sequence % 2 == 0) answer(socket, Json.object().put("type", "delete").put("room", room).put("target", seq), "delete");
        socket.assertAlive();
        count("lives");
    }

    /** Sends {@code frame} with a ref and counts its answer: ack (or the event it caused) or an error code. */
    private void answer(WsClient socket, com.fasterxml.jackson.databind.node.ObjectNode frame, String kind) {
        String ref = socket.nextRef();
        socket.send(frame.put("ref", ref));
        JsonNode reply = socket.awaitMatching(n -> ref.equals(n.path("ref").asText(null)), ANSWER);
        count(kind + "-" + (Json.isType(reply, "error") ? reply.path("code").asText() : "ok"));
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    Map<String, AtomicLong> outcomes() {
        return outcomes;
    }
}
