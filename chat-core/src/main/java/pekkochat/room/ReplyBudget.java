package pekkochat.room;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what a room sends in one message under a byte budget (chat.room.max-reply-bytes), so that
 * every reply fits Artery's frame between nodes (DESIGN.md rule 10): a catch-up goes in chunks, a
 * history page holds the newest events that fit. Sizes count each event's UTF-8 text plus what its
 * envelope adds; a single event always goes, since the socket limit bounds it far below the frame.
 */
final class ReplyBudget {
  /** CBOR field names, seq, timestamps and the list framing around one event's text, rounded up. */
  private static final int ENVELOPE_BYTES = 96;

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
