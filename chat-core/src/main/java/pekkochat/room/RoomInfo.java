package pekkochat.room;

import pekkochat.common.CborSerializable;

/** A room's identity, fixed at creation. */
public record RoomInfo(String id, String name, Visibility visibility, String owner, long createdAt)
    implements CborSerializable {}
