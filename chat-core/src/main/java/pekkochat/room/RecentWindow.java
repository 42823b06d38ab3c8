package pekkochat.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The room's newest events, each with its wire text encoded once, for catch-up and recent
 * history pages. Bounded; older events are read from the journal. Owned by one RoomActor.
 */
final class RecentWindow {
  record Entry(SequencedEvent event, EncodedEvent encoded) {}

  private final int capacity;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  RecentWindow(int capacity) {
    this.capacity = capacity;
  }

  void add(SequencedEvent event, EncodedEvent encoded) {
    entries.addLast(new Entry(event, encoded));
    if (entries.size() > capacity) entries.removeFirst();
  }

  void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  /** The lowest seq held, or {@code Long.MAX_VALUE} when empty. */
  long firstSeq() {
    return entries.isEmpty() ? Long.MAX_VALUE : entries.peekFirst().event().seq();
  }

  EncodedEvent newest() {
    return entries.peekLast().encoded();
  }

  /** Events with {@code from <= seq <= to}, ascending; the range must lie inside the window. */
  List<EncodedEvent> range(long from, long to) {
    List<EncodedEvent> out = new ArrayList<>((int) Math.max(0, Math.min(to - from + 1, entries.size())));
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      long seq = e.event().seq();
      if (seq > to) break;
      if (seq >= from) out.add(e.encoded());
    }
    return out;
  }

  /** The event at {@code seq} if the window holds it. */
  java.util.Optional<SequencedEvent> find(long seq) {
    if (entries.isEmpty() || seq < firstSeq() || seq > entries.peekLast().event().seq()) {
      return java.util.Optional.empty();
    }
    // seqs in the window are consecutive, so the position is an offset
    int index = (int) (seq - firstSeq());
    Iterator<Entry> it = entries.iterator();
    for (int i = 0; i < index; i++) it.next();
    return java.util.Optional.of(it.next().event());
  }

  /**
   * The newest edit or delete of the message at {@code target} that the window holds: what a
   * retried edit or delete is compared with. Changes come after their target, so the search
   * stops there.
   */
  java.util.Optional<SequencedEvent> latestChangeOf(long target) {
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext()) {
      SequencedEvent e = it.next().event();
      if (e.seq() <= target) break;
      if (e.event() instanceof RoomEvent.MessageEdited m && m.target() == target) return java.util.Optional.of(e);
      if (e.event() instanceof RoomEvent.MessageDeleted d && d.target() == target) return java.util.Optional.of(e);
    }
    return java.util.Optional.empty();
  }

  List<SequencedEvent> events() {
    List<SequencedEvent> out = new ArrayList<>(entries.size());
    for (Entry e : entries) out.add(e.event());
    return out;
  }
}
