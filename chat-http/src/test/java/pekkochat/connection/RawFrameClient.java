package pekkochat.connection;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** A WebSocket client that writes frames byte by byte, so a test can send what a library would not. */
final class RawFrameClient implements AutoCloseable {
  static final int CONT = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

  record Frame(int opcode, boolean fin, boolean masked, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  final String responseHead;

  RawFrameClient(int port, String path) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(16 * 1024); // a client that stops reading fills up fast
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) throw new EOFException("EOF in the HTTP head: " + head);
      head.write(c);
    }
    responseHead = head.toString(StandardCharsets.US_ASCII);
  }

  /** The frame as bytes: masked as a client must, unless {@code masked} is false. */
  static byte[] encode(int opcode, boolean fin, byte[] payload, boolean masked) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      b.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      b.write(maskBit | 126);
      b.write(payload.length >> 8);
      b.write(payload.length & 0xFF);
    } else {
      b.write(maskBit | 127);
      for (int i = 7; i >= 0; i--) b.write((int) ((long) payload.length >> (8 * i)) & 0xFF);
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      b.writeBytes(mask);
      for (int i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
    }
    b.writeBytes(body);
    return b.toByteArray();
  }

  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    write(encode(opcode, fin, payload, true));
  }

  void sendText(String text) throws IOException {
    send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame from the server. */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) length = in.readUnsignedShort();
    else if (length == 127) length = in.readLong();
    boolean masked = (b1 & 0x80) != 0;
    byte[] mask = new byte[4];
    if (masked) in.readFully(mask);
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    if (masked) for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, masked, payload);
  }

  /** The next frame that is not a keep-alive ping. */
  Frame readSkippingPings() throws IOException {
    Frame f = read();
    while (f.opcode() == PING) f = read();
    return f;
  }

  /** True when the server closed the TCP connection before {@code millis} passed. */
  boolean endsWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      while (true) {
        if (in.read() < 0) return true;
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Reads until the connection ends: the bytes read, or -1 if it is still open after {@code millis}. */
  long bytesUntilEnd(int millis) throws IOException {
    socket.setSoTimeout(millis);
    byte[] buffer = new byte[8192];
    long total = 0;
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) total += n;
      return total;
    } catch (SocketTimeoutException stillOpen) {
      return -1;
    } catch (IOException reset) {
      return total;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
