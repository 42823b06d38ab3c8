package pekkochat.auth;

import java.time.Instant;

/** Who a request or socket acts as, and until when its credential is valid. */
public record Principal(String username, Instant credentialExpiresAt) {}
