package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.json.Json;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Metrics;
import pekkochat.testkit.repo.RepoFiles;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.RawWsSocket;
import pekkochat.testkit.ws.WsClient;

/**
 * docs/metrics.md is what a node exposes: a real node, real sockets, traffic whose effect on each
 * counter is known (acked sends, sends over the rate limit, one stalled socket closed as
 * {@code slow_consumer}), then {@code /metrics}: every catalogued metric with its type, the
 * histograms with buckets, the counters moved by exactly what the clients saw, and no label
 * holding a room id or a user name.
 */
@Timeout(240)
class MetricsIT {
    private static final Duration T = Duration.ofSeconds(15);
    private static final int BURST = 30;
    /** Sent back to back, far over the burst: the rate limiter must refuse some. */
    private static final int FLOOD = 200;
    private static final int QUEUE = 256;
    private static final int BIG_TEXT = 3900;
    /** Bounds on the stalling phase: messages sent, and time. */
    private static final int MAX_BIG_MESSAGES = 6000;
    private static final Duration STALL_DEADLINE = Duration.ofSeconds(90);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    private int acked;
    private int rateLimited;

    @Test
    void everyCataloguedMetricIsExposedAndMovesAsTheTrafficSays() throws IOException {
        NodeProcess node = nodes.start(NodeProcess.builder("metrics")
                .jvm("-Dchat.ws.rate-limit.burst=" + BURST)
                .jvm("-Dchat.ws.rate-limit.per-second=1000")
                .jvm("-Dchat.ws.outbound-queue-size=" + QUEUE)
                .jvm("-Dchat.metrics.shard-poll-interval=500ms"));
        Rest rest = new Rest(node);
        Rest.User owner = rest.register("mowner");
        Rest.User reader = rest.register("mreader");
        Rest.User staller = rest.register("mstaller");
        String room = rest.createPublicRoom(owner).path("id").asText();
        List<Metrics.Sample> before = scrape(rest);
        rest.tryRegister(owner.name(), Rest.PASSWORD).expect(409);

        try (WsClient sender = WsClient.of(node, owner)) {
            try (WsClient r = WsClient.of(node, reader)) {
                r.join(room);
                for (int i = 0; i < 5; i++) sendAndCount(sender, room, "calm-" + i, "hello");

                flood(node, owner, room);
                assertTrue(rateLimited > 0, "a flood of " + FLOOD + " over a burst of " + BURST + " is rate limited");
                r.awaitMatching(n -> "calm-4".equals(n.path("clientId").asText()), T);
            }
            // a late joiner gets a catch-up (the default 50, within its queue)
            try (WsClient late = WsClient.of(node, reader)) {
                late.join(room);
            }
            // the only subscriber left is the one that stalls
            stallOneSocket(node, rest, sender, room, staller);
        }

        List<Metrics.Sample> after = scrape(rest);
        String text = rest.getPlain("/metrics").expect(200).body();
        Map<String, String> catalogue = Metrics.catalogue(RepoFiles.root().resolve("docs/metrics.md"));
        assertTrue(catalogue.size() >= 20, "docs/metrics.md lists the metrics: " + catalogue.keySet());
        for (var metric : catalogue.entrySet()) {
            assertTrue(text.contains("# TYPE " + metric.getKey() + " " + metric.getValue() + "\n"),
                    () -> metric.getKey() + " exposed as a " + metric.getValue() + ":\n" + typesOf(text));
        }
        for (var metric : catalogue.entrySet()) {
            if (!metric.getValue().equals("histogram")) continue;
            String name = metric.getKey();
            long buckets = after.stream().filter(s -> s.name().equals(name + "_bucket") && s.labels().contains("le=")).count();
            assertTrue(buckets >= 12, name + " has its buckets, found " + buckets);
            assertEquals(Metrics.sum(after, name + "_count", ""), Metrics.sum(after, name + "_bucket", "le=\"+Inf\""),
                    name + ": the +Inf bucket holds every observation");
        }

        assertEquals(acked, delta(before, after, "chat_sends_total", "outcome=\"acked\""), "acked sends");
        assertEquals(acked, delta(before, after, "chat_ack_latency_seconds_count", ""), "one ack latency per ack");
        assertEquals(rateLimited, delta(before, after, "chat_sends_total", "outcome=\"rate_limited\""), "rate limited sends");
        assertEquals(rateLimited, delta(before, after, "chat_ws_errors_total", "code=\"rate_limited\""), "rate_limited frames");
        assertEquals(1.0, delta(before, after, "chat_ws_closed_total", "reason=\"slow_consumer\""), "one slow consumer closed");
        assertEquals(1.0, delta(before, after, "chat_http_errors_total", "code=\"conflict\""), "one name taken");
        assertEquals(1.0, delta(before, after, "chat_http_errors_total", ""), "no other HTTP error");
        assertTrue(delta(before, after, "chat_messages_persisted_total", "") >= acked, "every acked send persisted");
        assertTrue(delta(before, after, "chat_persist_latency_seconds_count", "") >= 1, "journal writes timed");
        assertTrue(delta(before, after, "chat_delivery_latency_seconds_count", "") >= 1, "live deliveries sampled");
        assertTrue(delta(before, after, "chat_catchup_time_seconds_count", "") >= 3, "the joins' catch-ups timed");
        assertEquals(0.0, delta(before, after, "chat_journal_failures_total", ""), "no journal failure");
        assertEquals(1.0, Metrics.sum(after, "chat_cluster_members", "status=\"up\""), "a cluster of one");
        assertTrue(Metrics.sum(after, "chat_rooms_alive", "") >= 1, "the room is alive");
        assertTrue(awaitGauge(rest, "chat_shards", Duration.ofSeconds(10)) >= 1, "the room's shard is on this node");

        Set<String> forbidden = Set.of(room, owner.name(), reader.name(), staller.name());
        for (Metrics.Sample s : after) {
            Matcher m = LABEL.matcher(s.labels());
            while (m.find()) {
                String value = m.group(2);
                for (String f : forbidden) {
                    assertFalse(value.contains(f), () -> "label " + m.group(1) + " of " + s.name() + " holds " + f);
                }
            }
        }
    }

    /**
     * A raw socket joins and never reads again; big messages are sent until its queue of
     * {@link #QUEUE} overflows and the node closes it as {@code slow_consumer} (bounded).
     */
    private void stallOneSocket(NodeProcess node, Rest rest, WsClient sender, String room, Rest.User staller)
            throws IOException {
        try (RawWsSocket stalled = RawWsSocket.open(node.httpPort(), "/ws?token=" + Rest.enc(staller.token()), 4096)) {
            stalled.sendText(Json.write(WsClient.joinFrame(room, null).put("ref", "stall")));
            awaitJoined(stalled);
            String big = "y".repeat(BIG_TEXT);
            long deadline = System.nanoTime() + STALL_DEADLINE.toNanos();
            int sent = 0;
            while (sent < MAX_BIG_MESSAGES && System.nanoTime() < deadline) {
                // bursts under the limit, each awaited, so that no send of this phase is refused
                for (int i = 0; i < BURST / 2; i++) {
                    sender.send(WsClient.sendFrame(room, "big-" + sent, big).put("ref", "big-" + sent));
                    sent++;
                }
                for (int i = 0; i < BURST / 2; i++) count(sender.next(T));
                if (sent % 300 == 0 && Metrics.sum(scrape(rest), "chat_ws_closed_total", "reason=\"slow_consumer\"") >= 1) return;
            }
            throw new AssertionError("the stalled socket was not closed as slow_consumer after " + sent + " messages");
        }
    }

    /**
     * {@link #FLOOD} sends in one TCP write from a socket of their own, so they reach the node
     * together however loaded the machine is: the first {@link #BURST} pass, most of the rest are
     * refused. Replies may share a frame, one JSON object per line.
     */
    private void flood(NodeProcess node, Rest.User owner, String room) throws IOException {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            frames.add(Json.write(WsClient.sendFrame(room, "flood-" + i, "x").put("ref", "flood-" + i)));
        }
        try (RawWsSocket flooder = RawWsSocket.open(node.httpPort(), "/ws?token=" + Rest.enc(owner.token()), 65_536)) {
            flooder.sendTextsAtOnce(frames);
            int replies = 0;
            long deadline = System.nanoTime() + T.toNanos();
            while (replies < FLOOD && System.nanoTime() < deadline) {
                RawWsSocket.Frame f = flooder.nextNonPing(10_000);
                if (f == null) throw new AssertionError("flooding socket closed after " + replies + " replies");
                for (String line : f.text().split("\n")) {
                    JsonNode reply = Json.parse(line);
                    if (reply.path("ref").asText().startsWith("flood-")) {
                        count(reply);
                        replies++;
                    }
                }
            }
            assertEquals(FLOOD, replies, "every flooded send answered");
        }
    }

    private void sendAndCount(WsClient ws, String room, String clientId, String text) {
        ws.send(WsClient.sendFrame(room, clientId, text).put("ref", clientId));
        count(ws.next(T));
    }

    /** Counts a reply to a send as the node should: an ack, or an error by its code. */
    private void count(JsonNode reply) {
        if (Json.isType(reply, "ack")) {
            acked++;
        } else if (Json.isType(reply, "error") && "rate_limited".equals(reply.path("code").asText())) {
            rateLimited++;
        } else {
            throw new AssertionError("unexpected reply to a send: " + reply);
        }
    }

    private static void awaitJoined(RawWsSocket raw) throws IOException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            RawWsSocket.Frame f = raw.readFrame(10_000);
            if (f == null) throw new AssertionError("stalled socket closed before joined");
            if (f.opcode() == 1 && f.text().contains("\"ref\":\"stall\"")) return;
        }
        throw new AssertionError("no joined on the raw socket");
    }

    private static List<Metrics.Sample> scrape(Rest rest) {
        return Metrics.parse(rest.getPlain("/metrics").expect(200).body());
    }

    private static double delta(List<Metrics.Sample> before, List<Metrics.Sample> after, String metric, String labels) {
        return Metrics.sum(after, metric, labels) - Metrics.sum(before, metric, labels);
    }

    private static double awaitGauge(Rest rest, String metric, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double value = 0;
        while (System.nanoTime() < deadline && value < 1) {
            value = Metrics.sum(scrape(rest), metric, "");
            if (value < 1) NodeProcess.sleep(200);
        }
        return value;
    }

    private static String typesOf(String text) {
        List<String> types = new ArrayList<>();
        for (String line : text.split("\n")) if (line.startsWith("# TYPE chat_")) types.add(line);
        return String.join("\n", types);
    }
}
