package pekkochat.storage;

/**
 * What a redeemed WebSocket ticket grants: the user, and when the credential the ticket was
 * issued with expires (epoch milliseconds), after which the socket must close.
 */
public record TicketGrant(String username, long credentialExpiresAt) {}
