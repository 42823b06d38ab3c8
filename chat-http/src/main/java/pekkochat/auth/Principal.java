package pekkochat.auth;

import java.time.Instant;

/**
 * An authenticated user, and when the credential that proved it expires: a socket opened with
 * it closes then ({@code token_expired}).
 */
public record Principal(String username, Instant credentialExpiresAt) {}
