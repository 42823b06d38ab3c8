package pekkochat.bench.ws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client WebSocket: its channel and the little state a socket needs between reads (the tail
 * of a partial frame, a fragmented message, unsent bytes). Sends may come from any thread; reads
 * happen on the socket's {@link IoLoop}.
 */
public final class WsConn {

  private static final byte[] NORMAL_CLOSE = {0x03, (byte) 0xE8};

  final int id;
  final SocketChannel channel;
  final IoLoop loop;
  final WsHandler handler;
  final byte[] request;
  SelectionKey key;
  boolean upgraded;
  /** bytes of a partial frame (or of the upgrade answer) kept until the next read */
  byte[] tail;
  /** a fragmented message being joined */
  byte[] fragments;
  int fragmentsLength;
  private ByteBuffer unsent;
  private boolean closeSent;
  private volatile boolean gone;

  WsConn(int id, SocketChannel channel, IoLoop loop, WsHandler handler, byte[] request) {
    this.id = id;
    this.channel = channel;
    this.loop = loop;
    this.handler = handler;
    this.request = request;
  }

  public int id() {
    return id;
  }

  /** The index of the IO thread reading this socket, for per-thread counters. */
  public int loopIndex() {
    return loop.index;
  }

  public boolean isOpen() {
    return upgraded && !gone;
  }

  /** Sends one text frame; false if the socket is gone. Never blocks: what the kernel does not take waits here. */
  public boolean sendText(String text) {
    return send(Frames.masked(Frames.TEXT, text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Starts the close handshake (1000); the socket is gone once the server's close frame arrives. */
  public void close() {
    synchronized (this) {
      if (closeSent) return;
      closeSent = true;
    }
    send(Frames.masked(Frames.CLOSE, NORMAL_CLOSE));
  }

  /** Drops the TCP connection without a handshake. */
  public void abort() {
    loop.submit(() -> loop.drop(this, "aborted"));
  }

  void answerClose(byte[] buf, int off, int len) {
    boolean reply;
    synchronized (this) {
      reply = !closeSent;
      closeSent = true;
    }
    if (reply) send(Frames.masked(Frames.CLOSE, Arrays.copyOfRange(buf, off, off + Math.min(len, 2))));
  }

  boolean send(byte[] frame) {
    if (gone) return false;
    try {
      synchronized (this) {
        if (unsent != null) {
          ByteBuffer joined = ByteBuffer.allocate(unsent.remaining() + frame.length);
          joined.put(unsent).put(frame).flip();
          unsent = joined;
          return true;
        }
        ByteBuffer out = ByteBuffer.wrap(frame);
        channel.write(out);
        if (out.hasRemaining()) {
          unsent = out;
          loop.wantWrite(this);
        }
      }
      return true;
    } catch (IOException e) {
      loop.submit(() -> loop.drop(this, "write failed: " + e.getMessage()));
      return false;
    }
  }

  /** On the loop: writes what waited; true when nothing is left. */
  boolean flush() throws IOException {
    synchronized (this) {
      if (unsent == null) return true;
      channel.write(unsent);
      if (unsent.hasRemaining()) return false;
      unsent = null;
      return true;
    }
  }

  /** On the loop, once: marks the socket gone; true the first time. */
  boolean markGone() {
    synchronized (this) {
      if (gone) return false;
      gone = true;
      return true;
    }
  }
}
