package pekkochat.storage;

import pekkochat.room.Visibility;

/** A room as the directory knows it; {@code createdAt} in epoch milliseconds. */
public record RoomRecord(String id, String name, Visibility visibility, String owner, long createdAt) {}
