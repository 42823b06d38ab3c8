package pekkochat.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The last N sends of a room by (user, clientId), so that a retried send is acked with its first
 * seq instead of being stored twice. Oldest entries fall out first. Owned by one RoomActor.
 */
final class DedupWindow {
  public record Entry(String user, String clientId, long seq, long ts) {}

  private final int capacity;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  DedupWindow(int capacity) {
    this.capacity = capacity;
  }

  Optional<Entry> find(String user, String clientId) {
    return Optional.ofNullable(entries.get(key(user, clientId)));
  }

  void remember(String user, String clientId, long seq, long ts) {
    entries.put(key(user, clientId), new Entry(user, clientId, seq, ts));
    if (entries.size() > capacity) {
      var eldest = entries.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  void clear() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  List<Entry> toList() {
    return List.copyOf(entries.values());
  }

  private static String key(String user, String clientId) {
    // A NUL cannot occur in a username, so the pair maps to one key only.
    return user + '\u0000' + clientId;
  }

  static DedupWindow of(int capacity, List<Entry> entries) {
    DedupWindow window = new DedupWindow(capacity);
    for (Entry e : entries) window.remember(e.user(), e.clientId(), e.seq(), e.ts());
    return window;
  }
}
