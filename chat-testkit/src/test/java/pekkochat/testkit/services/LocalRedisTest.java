package pekkochat.testkit.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import pekkochat.testkit.node.Ports;

/**
 * With nothing on the configured Redis address the testkit starts a redis-server of its own (or
 * skips, reporting it, where none is installed); nothing on the machine is stopped to show it:
 * the configured address is a free port.
 */
class LocalRedisTest {

    @Test
    void startsItsOwnRedisWhenNothingListensAtTheConfiguredAddress() throws IOException {
        String configured = "redis://127.0.0.1:" + Ports.free();
        String url = LocalRedis.url(configured, false);
        assertNotEquals(configured, url, "a server of its own, on another port");
        assertEquals(url, LocalRedis.url(configured, false), "started once per JVM");
        URI address = URI.create(url);
        try (Socket socket = new Socket(address.getHost(), address.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("+PONG", in.readLine());
        }
    }

    @Test
    void onCiTheConfiguredAddressStandsEvenWhenNothingListens() {
        String configured = "redis://127.0.0.1:" + Ports.free();
        assertEquals(configured, LocalRedis.url(configured, true), "CI tests the machine's own servers; a missing one fails");
    }
}
