package pekkochat.balancer.backend;

import java.util.Arrays;
import java.util.List;

/** Where a chat node serves HTTP and WebSocket: one entry of {@code BALANCER_BACKENDS}. */
public record BackendAddress(String host, int port) {

  public BackendAddress {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("backend host is empty");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("backend port out of range: " + port);
  }

  /** Parses {@code host:port}. */
  public static BackendAddress parse(String hostPort) {
    String trimmed = hostPort.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException("backend is not host:port: '" + hostPort + "'");
    }
    return new BackendAddress(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
  }

  /** Parses a comma list of {@code host:port}; blank entries are skipped. */
  public static List<BackendAddress> parseList(String commaList) {
    List<BackendAddress> backends =
        Arrays.stream(commaList.split(",")).filter(s -> !s.isBlank()).map(BackendAddress::parse).distinct().toList();
    if (backends.isEmpty()) throw new IllegalArgumentException("no backends configured");
    return backends;
  }

  /** {@code host:port}, as in the configuration, the status page and the metrics' labels. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
