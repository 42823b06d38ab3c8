package pekkochat.room;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The nodes that subscribe to a room (one relay each), and what the room sends them: live events
 * once per node, ephemeral frames, and a joining socket's catch-up. Not persisted: relays join
 * again when a room restarts.
 */
final class Subscribers {
  private final ActorContext<RoomProtocol.Command> ctx;
  private final String roomId;
  private final RoomSettings settings;
  private final Set<ActorRef<RoomSubscriber>> relays = new HashSet<>();
  /** Bridges that pass every event on to other nodes (RoomProtocol.Follow): not counted as subscribed. */
  private final Set<ActorRef<RoomSubscriber>> followers = new HashSet<>();

  Subscribers(ActorContext<RoomProtocol.Command> ctx, String roomId, RoomSettings settings) {
    this.ctx = ctx;
    this.roomId = roomId;
    this.settings = settings;
  }

  boolean isEmpty() {
    return relays.isEmpty();
  }

  void follow(ActorRef<RoomSubscriber> follower) {
    followers.add(follower);
  }

  /**
   * Subscribes the join's relay and answers {@code Joined} and the catch-up. Live events reach the
   * relay only after this, so the socket sees the catch-up first (DESIGN.md rule 6).
   */
  void join(RoomState state, RoomProtocol.Join cmd, Map<String, Long> reads) {
    if (!followers.contains(cmd.subscriber()) && relays.add(cmd.subscriber())) {
      ctx.watchWith(cmd.subscriber(), new RoomProtocol.RemoveRelay(cmd.subscriber()));
    }
    // Tell the relay who we are on every join: after a restart this is a new actor to watch.
    cmd.subscriber().tell(new RoomSubscriber.Subscribed(roomId, ctx.getSelf()));
    long head = state.head();
    // a lastSeq ahead of the room catches up nothing; capped at head first, so Long.MAX_VALUE + 1 cannot wrap
    long from = cmd.lastSeq() == null
        ? head - settings.catchUpDefault() + 1
        : Math.max(Math.min(cmd.lastSeq(), head) + 1, head - settings.catchUpMax() + 1);
    from = Math.max(1, Math.min(from, head + 1));
    List<ReplyBudget.MemberPart> parts = ReplyBudget.memberParts(state.memberViews(), reads, settings.maxReplyBytes());
    ReplyBudget.MemberPart first = parts.get(0);
    cmd.replyTo().tell(new RoomProtocol.Joined(
        roomId, head, from, first.members(), first.reads(), ctx.getSelf(), parts.size() == 1));
    for (int i = 1; i < parts.size(); i++) {
      ReplyBudget.MemberPart part = parts.get(i);
      cmd.replyTo().tell(new RoomProtocol.JoinedMembers(roomId, part.members(), part.reads(), i == parts.size() - 1));
    }
    List<List<EncodedEvent>> chunks = ReplyBudget.chunks(state.recent().range(from, head), settings.maxReplyBytes());
    for (int i = 0; i < chunks.size(); i++) {
      cmd.replyTo().tell(new RoomProtocol.CatchUp(roomId, chunks.get(i), i == chunks.size() - 1));
    }
    if (chunks.isEmpty()) cmd.replyTo().tell(new RoomProtocol.CatchUp(roomId, List.of(), true));
  }

  /** The room restarts (a journal failure): every relay subscribes its sockets again. */
  void reset() {
    RoomSubscriber.Reset reset = new RoomSubscriber.Reset(roomId, ctx.getSelf());
    for (ActorRef<RoomSubscriber> relay : relays) relay.tell(reset);
    for (ActorRef<RoomSubscriber> follower : followers) follower.tell(reset);
    relays.clear();
    followers.clear();
  }

  void remove(ActorRef<RoomSubscriber> relay) {
    if (relays.remove(relay)) ctx.unwatch(relay);
  }

  /** Durable events, in seq order, stamped with when their write was confirmed. */
  void deliver(List<EncodedEvent> events, long persistedAtNanos) {
    for (EncodedEvent event : events) {
      RoomSubscriber.Event deliver = new RoomSubscriber.Event(event.persistedAt(persistedAtNanos));
      for (ActorRef<RoomSubscriber> relay : relays) relay.tell(deliver);
      for (ActorRef<RoomSubscriber> follower : followers) follower.tell(deliver);
    }
  }

  void broadcast(String json, String exceptUser) {
    RoomSubscriber.Ephemeral deliver = new RoomSubscriber.Ephemeral(roomId, json, exceptUser);
    for (ActorRef<RoomSubscriber> relay : relays) relay.tell(deliver);
    for (ActorRef<RoomSubscriber> follower : followers) follower.tell(deliver);
  }
}
