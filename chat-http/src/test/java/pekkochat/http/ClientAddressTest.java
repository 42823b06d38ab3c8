package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress clients = new ClientAddress("127.0.0.1, ::1");

  @Test
  void aDirectClientIsItsPeerWhateverItForwards() {
    assertEquals("10.0.0.7", clients.of(Optional.of("10.0.0.7"), Optional.empty()));
    assertEquals("10.0.0.7", clients.of(Optional.of("10.0.0.7"), Optional.of("1.2.3.4")),
        "an untrusted peer cannot pick the address its throttle keys on");
  }

  @Test
  void behindATrustedProxyTheClientIsTheAddressTheProxyAppended() {
    assertEquals("203.0.113.9", clients.of(Optional.of("127.0.0.1"), Optional.of("203.0.113.9")));
    assertEquals("203.0.113.9", clients.of(Optional.of("127.0.0.1"), Optional.of("6.6.6.6, 203.0.113.9")),
        "entries before the proxy's own came from the client");
    assertEquals("203.0.113.9", clients.of(Optional.of("0:0:0:0:0:0:0:1"), Optional.of(" 203.0.113.9 ")));
    assertEquals("127.0.0.1", clients.of(Optional.of("127.0.0.1"), Optional.empty()));
  }
}
