package pekkochat.room;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.room.RoomProtocol.Applied;
import pekkochat.room.RoomProtocol.MarkRead;
import pekkochat.room.RoomProtocol.Rejected;
import pekkochat.room.RoomProtocol.Typing;

/**
 * What members do that is not on the timeline: typing (at most one a second per member), read
 * marks (forward only, kept in a table through the {@link ReadMarks} port and loaded after
 * recovery). None of it is journaled; presence reaches sockets through their node's relay, never
 * through a room, so it wakes none.
 */
final class Activity {
  private static final Logger log = LoggerFactory.getLogger(Activity.class);

  private final EffectFactories<RoomEvent, RoomState> effect;
  private final ActorContext<RoomProtocol.Command> ctx;
  private final String roomId;
  private final RoomActor.Dependencies deps;
  private final Subscribers subscribers;
  private final Clock clock;
  private final Map<String, Long> marks = new HashMap<>();
  private boolean marksLoaded;
  /** When each member last typed, for the one-a-second limit; not worth persisting. */
  private final Map<String, Long> lastTypingNanos = new HashMap<>();

  Activity(
      EffectFactories<RoomEvent, RoomState> effect, ActorContext<RoomProtocol.Command> ctx, String roomId,
      RoomActor.Dependencies deps, Subscribers subscribers, Clock clock) {
    this.effect = effect;
    this.ctx = ctx;
    this.roomId = roomId;
    this.deps = deps;
    this.subscribers = subscribers;
    this.clock = clock;
  }

  boolean marksLoaded() {
    return marksLoaded;
  }

  /** A new room has no marks to load. */
  void startEmpty() {
    marksLoaded = true;
  }

  /** Read marks of current members only: a former member's mark is kept but not shown. */
  Map<String, Long> memberMarks(RoomState state) {
    Map<String, Long> reads = new HashMap<>();
    marks.forEach((user, seq) -> {
      if (state.roleOf(user).isPresent()) reads.put(user, seq);
    });
    return reads;
  }

  void loadMarks() {
    ctx.pipeToSelf(deps.readMarks().marks(roomId), (loaded, failure) -> {
      if (failure == null) return new RoomSelf.MarksLoaded(loaded);
      log.warn("read marks of room {} could not be loaded; retrying", roomId, failure);
      return new RoomSelf.MarksLoaded(null);
    });
  }

  Effect<RoomEvent, RoomState> onMarksLoaded(RoomSelf.MarksLoaded loaded) {
    if (loaded.marks() == null) {
      ctx.scheduleOnce(deps.settings().marksRetry(), ctx.getSelf(), new RoomSelf.LoadMarks());
      return effect.none();
    }
    loaded.marks().forEach((user, seq) -> marks.merge(user, seq, Math::max));
    marksLoaded = true;
    return effect.none().thenUnstashAll();
  }

  Effect<RoomEvent, RoomState> typing(RoomState state, Typing cmd) {
    if (state.roleOf(cmd.user()).isEmpty()) return effect.none();
    long now = System.nanoTime();
    Long last = lastTypingNanos.get(cmd.user());
    if (last != null && now - last < deps.settings().typingInterval().toNanos()) return effect.none();
    lastTypingNanos.put(cmd.user(), now);
    subscribers.broadcast(deps.encoder().typing(roomId, cmd.user()), cmd.user());
    return effect.none();
  }

  Effect<RoomEvent, RoomState> markRead(RoomState state, MarkRead cmd) {
    if (!marksLoaded) return effect.stash();
    if (state.roleOf(cmd.user()).isEmpty()) return effect.reply(cmd.replyTo(), Rejections.notMember());
    if (cmd.seq() < 1 || cmd.seq() > state.head()) {
      return effect.reply(cmd.replyTo(), new Rejected(Refusal.BAD_REQUEST, "seq must be between 1 and the room's head"));
    }
    long current = marks.getOrDefault(cmd.user(), 0L);
    if (cmd.seq() <= current) return effect.reply(cmd.replyTo(), new Applied(roomId, current, clock.millis()));
    ctx.pipeToSelf(deps.readMarks().advance(roomId, cmd.user(), cmd.seq()),
        (done, failure) -> new RoomSelf.MarkStored(cmd.user(), cmd.seq(), cmd.replyTo(), failure));
    return effect.none();
  }

  Effect<RoomEvent, RoomState> onMarkStored(RoomSelf.MarkStored stored) {
    if (stored.failure() != null) {
      return effect.reply(stored.replyTo(), new Rejected(Refusal.UNAVAILABLE, "the read mark could not be stored; retry"));
    }
    long before = marks.getOrDefault(stored.user(), 0L);
    long mark = Math.max(stored.seq(), before);
    marks.put(stored.user(), mark);
    if (mark > before) subscribers.broadcast(deps.encoder().read(roomId, stored.user(), mark), null);
    return effect.reply(stored.replyTo(), new Applied(roomId, mark, clock.millis()));
  }
}
