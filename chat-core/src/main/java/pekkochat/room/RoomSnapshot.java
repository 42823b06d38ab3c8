package pekkochat.room;

import java.util.List;
import java.util.Map;
import pekkochat.common.CborSerializable;

/** The immutable, serializable copy of a room's state that goes to the snapshot store. */
public record RoomSnapshot(
    RoomInfo info,
    long head,
    Map<String, Role> members,
    List<SequencedEvent> recent,
    List<DedupWindow.Entry> dedup,
    List<Long> deleted)
    implements CborSerializable {}
