package pekkochat.room;

import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import pekkochat.room.RoomProtocol.Acked;
import pekkochat.room.RoomProtocol.Applied;
import pekkochat.room.RoomProtocol.ChangeReply;
import pekkochat.room.RoomProtocol.Delete;
import pekkochat.room.RoomProtocol.Edit;
import pekkochat.room.RoomProtocol.Rejected;
import pekkochat.room.RoomProtocol.Send;

/**
 * A live room's timeline: sends (deduplicated by clientId, written in groups), edits and deletes.
 * An edit or delete of a message older than the in-memory window reads its target from the
 * journal first.
 */
final class Timeline {
  private final EffectFactories<RoomEvent, RoomState> effect;
  private final ActorContext<RoomProtocol.Command> ctx;
  private final String roomId;
  private final HistoryReader history;
  private final GroupCommit writes;
  private final Clock clock;
  private final RoomMetrics metrics;

  Timeline(
      EffectFactories<RoomEvent, RoomState> effect, ActorContext<RoomProtocol.Command> ctx, String roomId,
      HistoryReader history, GroupCommit writes, Clock clock, RoomMetrics metrics) {
    this.effect = effect;
    this.ctx = ctx;
    this.roomId = roomId;
    this.history = history;
    this.writes = writes;
    this.clock = clock;
    this.metrics = metrics;
  }

  Effect<RoomEvent, RoomState> send(RoomState state, Send cmd) {
    if (clock.millis() > cmd.answerBy()) {
      // overload: behind a slow journal its socket has answered it unavailable already, so a
      // write and a fan-out would be waste. The reply ends the socket's ask now rather than by
      // its timeout, which costs far more than a tell when tens of thousands of them pile up.
      metrics.expired();
      return effect.reply(cmd.replyTo(), Rejections.EXPIRED);
    }
    if (state.roleOf(cmd.user()).isEmpty()) return effect.reply(cmd.replyTo(), Rejections.notMember());
    Optional<DedupWindow.Entry> earlier = state.dedup().find(cmd.user(), cmd.clientId());
    if (earlier.isPresent()) {
      DedupWindow.Entry e = earlier.get();
      return effect.reply(cmd.replyTo(), new Acked(roomId, cmd.clientId(), e.seq(), e.ts()));
    }
    var posted = new RoomEvent.MessagePosted(cmd.user(), cmd.clientId(), cmd.text(), clock.millis());
    GroupCommit.Durable ack = (s, seq) -> cmd.replyTo().tell(new Acked(roomId, cmd.clientId(), seq, posted.ts()));
    if (writes.joinWaitingSend(cmd.user(), cmd.clientId(), ack)) return effect.none();
    return writes.send(posted, ack, cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> edit(RoomState state, Edit cmd) {
    return withTarget(state, cmd, cmd.user(), cmd.target(), cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> delete(RoomState state, Delete cmd) {
    return withTarget(state, cmd, cmd.user(), cmd.target(), cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> onTargetResolved(RoomState state, RoomSelf.TargetResolved resolved) {
    ActorRef<ChangeReply> replyTo =
        resolved.original() instanceof Edit e ? e.replyTo() : ((Delete) resolved.original()).replyTo();
    if (resolved.target() == null) return effect.reply(replyTo, Rejections.noSuchMessage());
    // a retry that arrived while its first try read the same target is answered like send's
    Optional<Applied> earlier = retried(state, resolved.original());
    if (earlier.isPresent()) return effect.reply(replyTo, earlier.get());
    return decideOnTarget(state, resolved.original(), resolved.target());
  }

  /** Finds the target of an edit or delete in the window, or else reads it from the journal. */
  private Effect<RoomEvent, RoomState> withTarget(
      RoomState state, RoomProtocol.Command cmd, String user, long target, ActorRef<ChangeReply> replyTo) {
    if (state.roleOf(user).isEmpty()) return effect.reply(replyTo, Rejections.notMember());
    Optional<Applied> earlier = retried(state, cmd);
    if (earlier.isPresent()) return effect.reply(replyTo, earlier.get());
    if (target < 1 || target > state.head() || state.isDeleted(target)) {
      return effect.reply(replyTo, Rejections.noSuchMessage());
    }
    Optional<SequencedEvent> inWindow = state.recent().find(target);
    if (inWindow.isPresent()) return decideOnTarget(state, cmd, inWindow.get().event());
    ctx.pipeToSelf(history.read(roomId, target, target), (events, failure) ->
        new RoomSelf.TargetResolved(cmd, failure == null && !events.isEmpty() ? events.get(0).event() : null));
    return effect.none();
  }

  private Effect<RoomEvent, RoomState> decideOnTarget(RoomState state, RoomProtocol.Command cmd, RoomEvent target) {
    if (cmd instanceof Edit edit) {
      if (!(target instanceof RoomEvent.MessagePosted m) || state.isDeleted(edit.target())) {
        return effect.reply(edit.replyTo(), Rejections.noSuchMessage());
      }
      Optional<Refusal> refused = Permissions.edit(m.user().equals(edit.user()), state.roleOf(edit.user()));
      if (refused.isPresent()) {
        return effect.reply(edit.replyTo(), new Rejected(refused.get(), "only the author edits a message"));
      }
      var edited = new RoomEvent.MessageEdited(edit.user(), edit.target(), edit.text(), clock.millis());
      return writes.change(edited, applied(edit.replyTo(), edited), edit.replyTo());
    }
    Delete delete = (Delete) cmd;
    if (!(target instanceof RoomEvent.MessagePosted m) || state.isDeleted(delete.target())) {
      return effect.reply(delete.replyTo(), Rejections.noSuchMessage());
    }
    Optional<Refusal> refused = Permissions.delete(m.user().equals(delete.user()), state.roleOf(delete.user()));
    if (refused.isPresent()) {
      return effect.reply(delete.replyTo(),
          new Rejected(refused.get(), "only the author, an admin or the owner deletes a message"));
    }
    var deleted = new RoomEvent.MessageDeleted(delete.user(), delete.target(), clock.millis());
    return writes.change(deleted, applied(delete.replyTo(), deleted), delete.replyTo());
  }

  /**
   * The answer to a retried change, like a retried send's: an edit whose target's newest change
   * is the same user's edit to the same text, or a delete of a message the same user deleted, is
   * stored once and answered with that event's seq. Only the recent window is looked at; an
   * older change is no retry (PROTOCOL.md's retry follows an {@code unavailable} within seconds).
   */
  private Optional<Applied> retried(RoomState state, RoomProtocol.Command cmd) {
    long target = cmd instanceof Edit e ? e.target() : ((Delete) cmd).target();
    return state.recent().latestChangeOf(target).filter(change -> {
      if (cmd instanceof Edit edit) {
        return change.event() instanceof RoomEvent.MessageEdited m && m.user().equals(edit.user()) && m.text().equals(edit.text());
      }
      return change.event() instanceof RoomEvent.MessageDeleted d && d.user().equals(((Delete) cmd).user());
    }).map(change -> new Applied(roomId, change.seq(), change.event().ts()));
  }

  private GroupCommit.Durable applied(ActorRef<ChangeReply> replyTo, RoomEvent event) {
    return (s, seq) -> replyTo.tell(new Applied(roomId, seq, event.ts()));
  }
}
