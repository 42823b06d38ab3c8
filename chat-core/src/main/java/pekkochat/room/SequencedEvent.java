package pekkochat.room;

import pekkochat.common.CborSerializable;

/** A timeline event with its place in its room: what clients and history pages see. */
public record SequencedEvent(String room, long seq, RoomEvent event) implements CborSerializable {}
