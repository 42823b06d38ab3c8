package pekkochat.auth;

import java.time.Instant;

/** A one-time WebSocket ticket as handed to its user; only its hash is stored. */
public record IssuedTicket(String ticket, Instant expiresAt) {}
