package pekkochat.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A room's state, mutated in place by its one RoomActor (copying a 10,000-entry dedup window per
 * event would cost more than the event). It leaves the actor only as a {@link RoomSnapshot}.
 */
final class RoomState {
  private final String roomId;
  private final EventEncoder encoder;
  private final RecentWindow recent;
  private final DedupWindow dedup;
  private final LinkedHashMap<String, Role> members = new LinkedHashMap<>();
  /** Seqs of deleted messages: few, and needed to refuse editing or deleting them again. */
  private final java.util.TreeSet<Long> deleted = new java.util.TreeSet<>();
  private RoomInfo info;
  private long head;

  RoomState(String roomId, RoomSettings settings, EventEncoder encoder) {
    this(roomId, encoder, new RecentWindow(settings.recentWindow()), new DedupWindow(settings.dedupWindow()));
  }

  private RoomState(String roomId, EventEncoder encoder, RecentWindow recent, DedupWindow dedup) {
    this.roomId = roomId;
    this.encoder = encoder;
    this.recent = recent;
    this.dedup = dedup;
  }

  /**
   * Back to empty. Pekko replays into the one empty state it was given, also after a restart, and
   * this state is mutated in place: the room empties it before a restart, so that the replay starts
   * from nothing (RoomActor's PreRestart).
   */
  void clear() {
    recent.clear();
    dedup.clear();
    members.clear();
    deleted.clear();
    info = null;
    head = 0;
  }

  boolean exists() {
    return info != null;
  }

  RoomInfo info() {
    return info;
  }

  long head() {
    return head;
  }

  Optional<Role> roleOf(String user) {
    return Optional.ofNullable(members.get(user));
  }

  Map<String, Role> members() {
    return java.util.Collections.unmodifiableMap(members);
  }

  List<RoomProtocol.MemberView> memberViews() {
    List<RoomProtocol.MemberView> views = new ArrayList<>(members.size());
    members.forEach((user, role) -> views.add(new RoomProtocol.MemberView(user, role)));
    return views;
  }

  /** Whether {@code user} may read the room: anyone for a public room, members for a private one. */
  boolean canRead(String user) {
    return info.visibility() == Visibility.PUBLIC || members.containsKey(user);
  }

  boolean isDeleted(long seq) {
    return deleted.contains(seq);
  }

  RecentWindow recent() {
    return recent;
  }

  DedupWindow dedup() {
    return dedup;
  }

  /** Applies the next event of the room: it becomes seq {@code head + 1}. */
  RoomState apply(RoomEvent event) {
    head++;
    SequencedEvent sequenced = new SequencedEvent(roomId, head, event);
    recent.add(sequenced, encode(sequenced));
    if (event instanceof RoomEvent.RoomCreated c) {
      info = new RoomInfo(roomId, c.name(), c.visibility(), c.user(), c.ts());
      members.put(c.user(), Role.OWNER);
    } else if (event instanceof RoomEvent.MessagePosted m) {
      dedup.remember(m.user(), m.clientId(), head, m.ts());
    } else if (event instanceof RoomEvent.MessageDeleted d) {
      deleted.add(d.target());
    } else if (event instanceof RoomEvent.MemberChanged m) {
      if (m.role() == null) members.remove(m.target());
      else members.put(m.target(), m.role());
    }
    return this;
  }

  private EncodedEvent encode(SequencedEvent event) {
    String revokes =
        event.event() instanceof RoomEvent.MemberChanged m && m.role() == null ? m.target() : null;
    return EncodedEvent.unstamped(roomId, event.seq(), encoder.encode(event), revokes);
  }

  RoomSnapshot toSnapshot() {
    return new RoomSnapshot(
        info, head, new LinkedHashMap<>(members), recent.events(), dedup.toList(), List.copyOf(deleted));
  }

  static RoomState fromSnapshot(String roomId, RoomSettings settings, EventEncoder encoder, RoomSnapshot s) {
    RoomState state =
        new RoomState(roomId, encoder, new RecentWindow(settings.recentWindow()),
            DedupWindow.of(settings.dedupWindow(), s.dedup()));
    state.info = s.info();
    state.head = s.head();
    state.members.putAll(s.members());
    state.deleted.addAll(s.deleted());
    for (SequencedEvent e : s.recent()) state.recent.add(e, state.encode(e));
    return state;
  }
}
