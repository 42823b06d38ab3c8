package pekkochat.testkit.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a server listens: a TCP connect, bounded, nothing sent. */
final class Listening {
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    private Listening() {
    }

    static boolean on(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code CI=true}: the machine's own servers must be there; a missing one is a failure, not a skip. */
    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** A system property, else an environment variable, else the default. */
    static String setting(String property, String env, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) value = System.getenv(env);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
