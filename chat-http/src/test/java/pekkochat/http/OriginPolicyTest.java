package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  private static final Optional<String> NODE = Optional.of("127.0.0.1:8080");

  @Test
  void sameOriginByDefault() {
    OriginPolicy policy = new OriginPolicy("");
    assertTrue(policy.allows(Optional.of("http://127.0.0.1:8080"), NODE));
    assertFalse(policy.allows(Optional.of("http://evil.example"), NODE));
    assertFalse(policy.allows(Optional.of("http://127.0.0.1:9999"), NODE));
    assertTrue(policy.allows(Optional.of("http://chat.example"), Optional.of("chat.example")));
    assertTrue(policy.allows(Optional.empty(), NODE), "non-browser clients send no Origin");
  }

  @Test
  void aListOrAnyOrigin() {
    OriginPolicy list = new OriginPolicy("https://app.example, http://localhost:5173");
    assertTrue(list.allows(Optional.of("http://localhost:5173"), NODE));
    assertTrue(list.allows(Optional.of("https://APP.example"), NODE));
    assertFalse(list.allows(Optional.of("http://127.0.0.1:8080"), NODE));
    assertTrue(new OriginPolicy("*").allows(Optional.of("http://evil.example"), NODE));
  }
}
