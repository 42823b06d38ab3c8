package pekkochat.testkit.ws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import pekkochat.testkit.json.Json;

/**
 * What a socket received, read in one of two ways (use one per socket):
 * <ul>
 *   <li>as whole frames ({@link #nextFrame}, {@link #nextText}), for a proxy test that checks frames pass intact;
 *   <li>as PROTOCOL.md §4 JSON objects: a server frame holds one or more, one per line. Reading them is a
 *       selective receive: {@link #awaitMatching} keeps what it skips, in order, for later calls.
 * </ul>
 * Every wait is bounded. Consume one socket from one thread.
 */
public abstract sealed class Inbox permits WsClient {

    /** One JSON object of a server frame, and when its frame was complete (System.nanoTime). */
    public record Received(JsonNode json, long nanos) {
    }

    /** A whole server frame: {@code text}, or {@code bytes} for a binary frame; when it was complete. */
    public record Frame(String text, byte[] bytes, long nanos) {
        public boolean isText() {
            return text != null;
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    /** objects of frames already taken, not yet handed out */
    private final Deque<Received> split = new ArrayDeque<>();
    /** objects skipped by a selective receive, in arrival order */
    private final List<Received> stash = new ArrayList<>();

    void arrived(Frame frame) {
        frames.add(frame);
    }

    // ---- whole frames

    public Frame nextFrame(Duration timeout) {
        Frame f = pollFrame(System.nanoTime() + timeout.toNanos());
        if (f == null) throw new AssertionError("no frame within " + timeout + closedNote());
        return f;
    }

    /** The next whole text frame; fails on a binary one or after the timeout. */
    public String nextText(Duration timeout) {
        Frame f = nextFrame(timeout);
        if (!f.isText()) throw new AssertionError("expected a text frame, got " + f.bytes().length + " binary bytes");
        return f.text();
    }

    /** Whole frames received and not yet taken. */
    public int pendingFrames() {
        return frames.size();
    }

    // ---- JSON objects

    /** Whether anything arrived after the last object read; objects a selective receive skipped do not count. */
    public boolean hasPending() {
        return !split.isEmpty() || !frames.isEmpty();
    }

    /** The next object, skipped ones first; fails after the timeout. */
    public JsonNode next(Duration timeout) {
        return nextReceived(timeout).json();
    }

    public Received nextReceived(Duration timeout) {
        if (!stash.isEmpty()) return stash.remove(0);
        Received r = poll(System.nanoTime() + timeout.toNanos());
        if (r == null) throw new AssertionError("nothing received within " + timeout + closedNote());
        return r;
    }

    /** The next object, skipped ones first, or null when none arrives within the timeout. */
    public JsonNode poll(Duration timeout) {
        if (!stash.isEmpty()) return stash.remove(0).json();
        Received r = poll(System.nanoTime() + timeout.toNanos());
        return r == null ? null : r.json();
    }

    public JsonNode await(String type, Duration timeout) {
        return awaitMatching(n -> Json.isType(n, type), timeout);
    }

    public JsonNode awaitMatching(Predicate<JsonNode> p, Duration timeout) {
        return awaitReceived(p, timeout).json();
    }

    /** The first object matching {@code p}; the ones before it stay for later calls. */
    public Received awaitReceived(Predicate<JsonNode> p, Duration timeout) {
        for (Iterator<Received> it = stash.iterator(); it.hasNext(); ) {
            Received r = it.next();
            if (p.test(r.json())) {
                it.remove();
                return r;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received r = poll(deadline);
            if (r == null) {
                throw new AssertionError("no matching frame within " + timeout + "; unmatched so far ("
                        + stash.size() + "): " + summary(stash) + closedNote());
            }
            if (p.test(r.json())) return r;
            stash.add(r);
        }
    }

    /** Fails if an object matching {@code p} arrives (or is already waiting) within {@code d}. */
    public void expectNothing(Predicate<JsonNode> p, Duration d) {
        for (Received r : stash) {
            if (p.test(r.json())) throw new AssertionError("unexpected frame: " + r.json());
        }
        long deadline = System.nanoTime() + d.toNanos();
        while (true) {
            Received r = poll(deadline);
            if (r == null) return;
            if (p.test(r.json())) throw new AssertionError("unexpected frame: " + r.json());
            stash.add(r);
        }
    }

    public void expectNothing(Duration d) {
        expectNothing(n -> true, d);
    }

    /** Everything received so far and not consumed, in order (waits {@code quiet} for stragglers). */
    public List<JsonNode> drain(Duration quiet) {
        List<JsonNode> out = new ArrayList<>();
        stash.forEach(r -> out.add(r.json()));
        stash.clear();
        long deadline = System.nanoTime() + quiet.toNanos();
        Received r;
        while ((r = poll(deadline)) != null) out.add(r.json());
        return out;
    }

    /** The next object in arrival order (not the stash), splitting frames as they are taken; null at the deadline. */
    private Received poll(long deadlineNanos) {
        while (split.isEmpty()) {
            Frame f = pollFrame(deadlineNanos);
            if (f == null) return null;
            splitInto(f);
        }
        return split.poll();
    }

    private void splitInto(Frame f) {
        if (!f.isText()) {
            // PROTOCOL.md §4: frames are JSON text; a binary one shows up as an unexpected object
            split.add(new Received(Json.object().put("type", "__binary").put("bytes", f.bytes().length), f.nanos()));
            return;
        }
        for (String line : f.text().split("\n")) {
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(line);
            } catch (Exception e) {
                node = Json.object().put("type", "__unparseable").put("raw", line);
            }
            split.add(new Received(node, f.nanos()));
        }
    }

    private Frame pollFrame(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return frames.poll();
        try {
            return frames.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How the socket ended, for failure messages; empty while it is open. */
    abstract String closedNote();

    private static String summary(List<Received> rs) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Received r : rs) {
            if (shown++ == 10) {
                sb.append(" ...");
                break;
            }
            sb.append(Json.abbreviate(r.json().toString())).append(' ');
        }
        return sb.toString();
    }
}
