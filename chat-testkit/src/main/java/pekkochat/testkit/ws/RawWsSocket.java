package pekkochat.testkit.ws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare {@link Socket}: the upgrade by hand, masked client frames, and a frame
 * reader the test calls only when it wants to, so the socket can stall (never read) on purpose.
 */
public final class RawWsSocket implements AutoCloseable {
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    private static final int MAX_PINGS_SKIPPED = 10;

    /** A server frame: opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWsSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects with a small receive buffer (so a stalled reader fills up fast) and performs the upgrade;
     * fails unless the answer is 101.
     */
    public static RawWsSocket open(int port, String pathAndQuery, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBufferBytes);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        RawWsSocket raw = new RawWsSocket(s);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        String head = raw.readHttpHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + head);
        }
        return raw;
    }

    private String readHttpHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) throw new EOFException("EOF in HTTP head: " + b);
            b.write(c);
            matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
            if (b.size() > 16_384) throw new IOException("HTTP head too long");
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked text frame. */
    public void sendText(String text) throws IOException {
        out.write(frame(0x1, true, text.getBytes(StandardCharsets.UTF_8)));
        out.flush();
    }

    /** Sends each text as its own masked frame, all in one TCP write: they reach the node together. */
    public void sendTextsAtOnce(java.util.List<String> texts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String text : texts) all.writeBytes(frame(0x1, true, text.getBytes(StandardCharsets.UTF_8)));
        out.write(all.toByteArray());
        out.flush();
    }

    /** Sends one text message as {@code pieces} frames: a text frame, then continuation frames. */
    public void sendFragmented(String text, int pieces) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int size = (payload.length + pieces - 1) / pieces;
        for (int i = 0; i < pieces; i++) {
            byte[] part = java.util.Arrays.copyOfRange(payload, Math.min(payload.length, i * size),
                    Math.min(payload.length, (i + 1) * size));
            out.write(frame(i == 0 ? 0x1 : 0x0, i == pieces - 1, part));
            out.flush();
        }
    }

    /** Sends one masked text frame in TCP writes of at most {@code chunkBytes}, each flushed. */
    public void sendTextInChunks(String text, int chunkBytes) throws IOException {
        byte[] frame = frame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
        for (int from = 0; from < frame.length; from += chunkBytes) {
            out.write(frame, from, Math.min(chunkBytes, frame.length - from));
            out.flush();
        }
    }

    private static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
        return f.toByteArray();
    }

    /** Answers a server's close frame (masked, empty payload). */
    public void sendClose() throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(new byte[] {(byte) 0x88, (byte) 0x80, mask[0], mask[1], mask[2], mask[3]});
        out.flush();
    }

    /** The next server frame that is not a keep-alive ping (at most 10 pings skipped), or null at EOF. */
    public Frame nextNonPing(int timeoutMillis) throws IOException {
        for (int i = 0; i < MAX_PINGS_SKIPPED; i++) {
            Frame f = readFrame(timeoutMillis);
            if (f == null || f.opcode() != OPCODE_PING) return f;
        }
        throw new AssertionError("only pings");
    }

    /**
     * PROTOCOL.md section 5: the server's {@code closing} frame with {@code reason}, then its close
     * frame, which this socket answers; {@code attempt} names the try in a failure.
     */
    public void expectClosingThenClose(String reason, int timeoutMillis, String attempt) throws IOException {
        Frame closing = nextNonPing(timeoutMillis);
        if (closing == null || closing.opcode() != OPCODE_TEXT) {
            throw new AssertionError(attempt + ": a text frame first, got " + closing);
        }
        com.fasterxml.jackson.databind.JsonNode json = pekkochat.testkit.json.Json.parse(closing.text());
        if (!"closing".equals(json.path("type").asText()) || !reason.equals(json.path("reason").asText())) {
            throw new AssertionError(attempt + ": expected closing " + reason + ", got " + json);
        }
        Frame close = nextNonPing(timeoutMillis);
        if (close == null || close.opcode() != OPCODE_CLOSE) {
            throw new AssertionError(attempt + ": then the close frame, got " + close);
        }
        sendClose();
    }

    /** Reads one server frame, waiting at most {@code timeoutMillis} for its first byte; null on EOF. */
    public Frame readFrame(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int b0 = in.read();
        if (b0 < 0) return null;
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = ((long) readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = (len << 8) | readByte();
        }
        if (len > 64L * 1024 * 1024) throw new IOException("frame too long: " + len);
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = in.readNBytes(4);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) return null;
        if (mask != null) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
        return new Frame(b0 & 0x0f, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        return b;
    }

    public static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
