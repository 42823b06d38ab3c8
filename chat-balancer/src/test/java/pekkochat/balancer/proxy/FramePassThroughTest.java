package pekkochat.balancer.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pekkochat.balancer.support.InProcessBalancer;
import pekkochat.balancer.support.RawWsBackend;
import pekkochat.balancer.support.RawWsClient;
import pekkochat.balancer.support.WireFrames;

/**
 * Frames of every kind pass the balancer byte for byte, both ways: text, binary, ping, pong, a
 * fragmented message (with a ping between its fragments), 60 KiB, and the close handshake.
 */
class FramePassThroughTest {

  /** The same kinds of frames, each way: masked as a client sends them, or not, as a server does. */
  private static byte[] everyKind(boolean masked) {
    byte[] big = new byte[60 * 1024];
    new Random(7).nextBytes(big);
    byte[] allBytes = new byte[256];
    for (int i = 0; i < allBytes.length; i++) allBytes[i] = (byte) i;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] frame : List.of(
        frame(masked, WireFrames.TEXT, true, WireFrames.utf8("{\"type\":\"ping\",\"ref\":\"héllo ✓\"}")),
        frame(masked, WireFrames.BINARY, true, allBytes),
        frame(masked, WireFrames.PING, true, WireFrames.utf8("are you there")),
        frame(masked, WireFrames.PONG, true, WireFrames.utf8("here")),
        frame(masked, WireFrames.TEXT, false, WireFrames.utf8("frag")),
        frame(masked, WireFrames.PING, true, new byte[0]),
        frame(masked, WireFrames.CONTINUATION, false, WireFrames.utf8("men")),
        frame(masked, WireFrames.CONTINUATION, true, WireFrames.utf8("ted")),
        frame(masked, WireFrames.BINARY, true, big),
        frame(masked, WireFrames.TEXT, true, new byte[0]))) {
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  private static byte[] frame(boolean masked, int opcode, boolean fin, byte[] payload) {
    return masked ? WireFrames.masked(opcode, fin, payload) : WireFrames.unmasked(opcode, fin, payload);
  }

  @Test
  void framesOfEveryKindPassByteForByteBothWaysAndTheCloseHandshakeToo() throws Exception {
    try (RawWsBackend backend = new RawWsBackend(0);
        InProcessBalancer balancer = new InProcessBalancer(List.of(backend.address()), "")) {
      balancer.awaitUp(List.of(backend.address()));
      try (RawWsClient client = RawWsClient.upgrade(balancer.port(), "/ws?token=good", Map.of(), 0)) {
        assertEquals(101, client.answer().status());
        Socket upstream = backend.nextSocket();
        upstream.setSoTimeout(10_000);
        InputStream fromClient = upstream.getInputStream();

        byte[] clientFrames = everyKind(true);
        client.write(clientFrames);
        assertArrayEquals(clientFrames, fromClient.readNBytes(clientFrames.length), "client to backend");

        byte[] backendFrames = everyKind(false);
        upstream.getOutputStream().write(backendFrames);
        assertArrayEquals(backendFrames, client.readExactly(backendFrames.length), "backend to client");

        // the close handshake, started by the backend, with its own code and reason
        byte[] backendClose = WireFrames.unmasked(WireFrames.CLOSE, true, WireFrames.closePayload(4001, "bye now"));
        upstream.getOutputStream().write(backendClose);
        assertArrayEquals(backendClose, client.readExactly(backendClose.length), "backend's close");
        byte[] clientClose = WireFrames.masked(WireFrames.CLOSE, true, WireFrames.closePayload(4001, ""));
        client.write(clientClose);
        assertArrayEquals(clientClose, fromClient.readNBytes(clientClose.length), "client's close");
        upstream.close();
        // the backend's close was its last word: nothing of the balancer's own follows it
        assertEquals(-1, client.in().read(), "a byte after the close handshake");
      }
    }
  }
}
