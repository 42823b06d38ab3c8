package pekkochat.storage;

import java.util.Optional;
import pekkochat.room.Role;

/**
 * A room seen by one user: {@code seq} is the room's head (its journal's highest sequence number,
 * 0 before the first event) and {@code role} the user's role, empty when not a member.
 */
public record RoomListing(RoomRecord room, long seq, Optional<Role> role) {}
