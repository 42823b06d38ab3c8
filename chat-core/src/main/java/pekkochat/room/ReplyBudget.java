package pekkochat.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what a room sends in one message under a byte budget (chat.room.max-reply-bytes), so that
 * every reply fits Artery's frame between nodes (DESIGN.md rule 10): a catch-up goes in chunks, a
 * history page holds the newest events that fit, a join's members and read marks go in parts.
 * Sizes count each event's UTF-8 text plus what its
 * envelope adds; a single event always goes, since the socket limit bounds it far below the frame.
 */
final class ReplyBudget {
  /** CBOR field names, seq, timestamps and the list framing around one event's text, rounded up. */
  private static final int ENVELOPE_BYTES = 96;
  /** A member's role and framing, and a read mark's seq, around their user names, rounded up. */
  private static final int MEMBER_BYTES = 32;

  /** Some of a room's members with their read marks: one message's worth. */
  record MemberPart(List<RoomProtocol.MemberView> members, Map<String, Long> reads) {}

  private ReplyBudget() {}

  static int sizeOf(EncodedEvent event) {
    return event.utf8().size() + event.room().length() + ENVELOPE_BYTES;
  }

  static int sizeOf(String json) {
    // at most 3 bytes per UTF-16 unit; the exact count would encode the text again
    return json.length() * 3 + ENVELOPE_BYTES;
  }

  /** {@code events} cut in order into chunks of at most {@code maxBytes} each (at least one event). */
  static List<List<EncodedEvent>> chunks(List<EncodedEvent> events, int maxBytes) {
    List<List<EncodedEvent>> chunks = new ArrayList<>();
    List<EncodedEvent> chunk = new ArrayList<>();
    int bytes = 0;
    for (EncodedEvent event : events) {
      int size = sizeOf(event);
      if (!chunk.isEmpty() && bytes + size > maxBytes) {
        chunks.add(List.copyOf(chunk));
        chunk.clear();
        bytes = 0;
      }
      chunk.add(event);
      bytes += size;
    }
    if (!chunk.isEmpty()) chunks.add(List.copyOf(chunk));
    return chunks;
  }

  /**
   * {@code members} in parts of at most {@code maxBytes} each, every member's read mark in the part
   * that holds the member; always at least one part, which may be empty.
   */
  static List<MemberPart> memberParts(List<RoomProtocol.MemberView> members, Map<String, Long> reads, int maxBytes) {
    List<MemberPart> parts = new ArrayList<>();
    List<RoomProtocol.MemberView> part = new ArrayList<>();
    Map<String, Long> partReads = new HashMap<>();
    int bytes = 0;
    for (RoomProtocol.MemberView member : members) {
      Long mark = reads.get(member.user());
      int size = member.user().length() * (mark == null ? 1 : 2) + MEMBER_BYTES;
      if (!part.isEmpty() && bytes + size > maxBytes) {
        parts.add(new MemberPart(List.copyOf(part), Map.copyOf(partReads)));
        part.clear();
        partReads.clear();
        bytes = 0;
      }
      part.add(member);
      if (mark != null) partReads.put(member.user(), mark);
      bytes += size;
    }
    parts.add(new MemberPart(List.copyOf(part), Map.copyOf(partReads)));
    return parts;
  }

  /** The newest of the ascending {@code events} that fit in {@code maxBytes} (at least one), still ascending. */
  static List<String> newestFitting(List<String> events, int maxBytes) {
    int bytes = 0;
    int from = events.size();
    while (from > 0) {
      int size = sizeOf(events.get(from - 1));
      if (from < events.size() && bytes + size > maxBytes) break;
      bytes += size;
      from--;
    }
    return events.subList(from, events.size());
  }
}
