package pekkochat.room;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.room.RoomProtocol.GetHistory;
import pekkochat.room.RoomProtocol.GetRoom;
import pekkochat.room.RoomProtocol.HistoryPage;
import pekkochat.room.RoomProtocol.HistoryReply;
import pekkochat.room.RoomProtocol.Rejected;

/**
 * What REST reads of a live room: the room itself and pages of its history, from the in-memory
 * window when it holds the page, else from the journal through the {@link HistoryReader} port.
 */
final class History {
  private static final Logger log = LoggerFactory.getLogger(History.class);

  private final EffectFactories<RoomEvent, RoomState> effect;
  private final String roomId;
  private final RoomActor.Dependencies deps;

  History(EffectFactories<RoomEvent, RoomState> effect, String roomId, RoomActor.Dependencies deps) {
    this.effect = effect;
    this.roomId = roomId;
    this.deps = deps;
  }

  Effect<RoomEvent, RoomState> room(RoomState state, GetRoom cmd) {
    if (!state.canRead(cmd.user())) return effect.reply(cmd.replyTo(), Rejections.notMember());
    return effect.reply(cmd.replyTo(), Membership.view(state, cmd.user(), deps.settings()));
  }

  Effect<RoomEvent, RoomState> page(RoomState state, GetHistory cmd) {
    if (!state.canRead(cmd.user())) return effect.reply(cmd.replyTo(), Rejections.notMember());
    RoomSettings settings = deps.settings();
    int limit = cmd.limit() == null ? settings.historyDefaultLimit() : cmd.limit();
    limit = Math.max(1, Math.min(limit, settings.historyMaxLimit()));
    long to = cmd.before() == null ? state.head() : Math.min(cmd.before() - 1, state.head());
    long from = Math.max(1, to - limit + 1);
    if (to < from) return effect.reply(cmd.replyTo(), new HistoryPage(roomId, List.of()));
    if (from >= state.recent().firstSeq()) {
      List<String> events = state.recent().range(from, to).stream().map(EncodedEvent::json).toList();
      return effect.reply(cmd.replyTo(), page(events, settings));
    }
    EventEncoder encoder = deps.encoder();
    ActorRef<HistoryReply> replyTo = cmd.replyTo();
    deps.history().read(roomId, from, to).whenComplete((events, failure) -> {
      if (failure != null) {
        log.warn("history read of room {} failed", roomId, failure);
        replyTo.tell(new Rejected(Refusal.UNAVAILABLE, "history unavailable; retry"));
      } else {
        replyTo.tell(page(events.stream().map(encoder::encode).toList(), settings));
      }
    });
    return effect.none();
  }

  /**
   * A page may hold fewer events than asked for, the newest that fit one message between nodes;
   * the client pages on from its first event as always (PROTOCOL.md: "up to N").
   */
  private HistoryPage page(List<String> events, RoomSettings settings) {
    return new HistoryPage(roomId, List.copyOf(ReplyBudget.newestFitting(events, settings.maxReplyBytes())));
  }
}
