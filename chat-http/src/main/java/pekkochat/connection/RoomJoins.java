package pekkochat.connection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import pekkochat.fanout.NodeRelay;
import pekkochat.fanout.RoomFeed;
import pekkochat.presence.PresenceStatus;
import pekkochat.room.Refusal;
import pekkochat.room.RoomActor;
import pekkochat.wire.ClientFrame;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.Refusals;

/**
 * The rooms one socket joined: subscribing through the node relay, the {@code joined} frame,
 * catch-up then live (each {@link RoomSubscription}), ephemeral frames, and subscribing again
 * after a loss. Part of its ConnectionActor, on the actor's thread.
 */
final class RoomJoins {

  record JoinAnswer(RoomActor.JoinReply reply) implements ConnectionActor.Command {}

  record JoinTimedOut(String room, RoomSubscription subscription) implements ConnectionActor.Command {}

  /** The presence of a joined room's members, for its {@code joined} frame. */
  record JoinPresence(
      RoomSubscription subscription, RoomActor.Joined joined, Map<String, PresenceStatus> presence)
      implements ConnectionActor.Command {}

  private final ActorContext<ConnectionActor.Command> ctx;
  private final TimerScheduler<ConnectionActor.Command> timers;
  private final String user;
  private final ConnectionActor.Context shared;
  private final SocketWriter writer;
  private final ActorRef<RoomFeed> feedRef;
  private final ActorRef<RoomActor.JoinReply> joinReplyRef;
  private final Map<String, RoomSubscription> subscriptions = new HashMap<>();
  /** A big room's {@code Joined} while its further member parts are on their way. */
  private final Map<String, RoomActor.Joined> partialJoins = new HashMap<>();
  /** The last frame written per collapse key (see {@link RoomFeed.Ephemeral}). */
  private final Map<String, String> lastCollapsed = new HashMap<>();
  private final RoomSubscription.Sink socketSink;

  RoomJoins(
      ActorContext<ConnectionActor.Command> ctx,
      TimerScheduler<ConnectionActor.Command> timers,
      String user,
      ConnectionActor.Context shared,
      SocketWriter writer,
      ActorRef<RoomFeed> feedRef) {
    this.ctx = ctx;
    this.timers = timers;
    this.user = user;
    this.shared = shared;
    this.writer = writer;
    this.feedRef = feedRef;
    this.joinReplyRef = ctx.messageAdapter(RoomActor.JoinReply.class, JoinAnswer::new);
    this.socketSink = writer::event;
  }

  boolean joined(String room) {
    return subscriptions.containsKey(room);
  }

  void join(ClientFrame.Join join) {
    RoomSubscription pending = subscriptions.get(join.room());
    if (pending != null && pending.awaitsJoined()) {
      // a second subscribe would take the pending join's answer and leave its ref unanswered;
      // the room's answer to the pending join answers this one too
      pending.alsoAnswer(join.ref());
      return;
    }
    RoomSubscription subscription =
        new RoomSubscription(join.room(), join.ref(), shared.settings().outboundQueueSize(), writer::offerDirect);
    RoomSubscription replaced = subscriptions.put(join.room(), subscription);
    if (replaced != null) replaced.stop();
    subscribe(subscription, join.lastSeq());
  }

  void leave(ClientFrame.Leave leave) {
    unsubscribe(leave.room());
    writer.reply(shared.frames().left(leave.room(), leave.ref()));
  }

  void onJoinAnswer(JoinAnswer answer) {
    RoomActor.JoinReply reply = answer.reply();
    if (reply instanceof RoomActor.CatchUp catchUp) {
      RoomSubscription s = subscriptions.get(catchUp.room());
      if (s != null && (s.phase() == RoomSubscription.Phase.CATCHING_UP || s.phase() == RoomSubscription.Phase.ANNOUNCING)) {
        handleCatchUp(s, s.catchUp(catchUp.events(), catchUp.last(), socketSink));
      }
    } else if (reply instanceof RoomActor.Joined joined && !joined.complete()) {
      partialJoins.put(joined.room(), joined);
    } else if (reply instanceof RoomActor.JoinedMembers part) {
      RoomActor.Joined partial = partialJoins.remove(part.room());
      if (partial == null) return; // a leftover of a join this socket gave up
      RoomActor.Joined joined = partial.plus(part);
      if (joined.complete()) onJoinAnswer(new JoinAnswer(joined));
      else partialJoins.put(part.room(), joined);
    } else if (reply instanceof RoomActor.Joined joined) {
      RoomSubscription s = subscriptions.get(joined.room());
      if (s != null && s.phase() == RoomSubscription.Phase.JOINING) {
        timers.cancel(joinTimer(joined.room()));
        if (s.joined(joined.firstSeq())) {
          List<String> members = joined.members().stream().map(RoomActor.MemberView::user).toList();
          ctx.pipeToSelf(shared.presence().lookup(members), (presence, failure) ->
              new JoinPresence(s, joined, failure == null ? presence : Map.of()));
        }
      }
    } else if (reply instanceof RoomActor.JoinRefused refused) {
      RoomSubscription s = subscriptions.get(refused.room());
      // the room's writer is out of reach for now: a join of the socket's own keeps its timer and asks again
      if (s != null && s.isResubscribing() && refused.refusal() == Refusal.UNAVAILABLE) return;
      if (s != null) {
        unsubscribe(refused.room());
        refuseJoins(s, Refusals.code(refused.refusal()), refused.message());
      }
    }
  }

  void onJoinPresence(JoinPresence answer) {
    RoomSubscription s = answer.subscription();
    if (subscriptions.get(s.room()) != s || s.phase() != RoomSubscription.Phase.ANNOUNCING) return;
    writer.reply(shared.frames().joined(answer.joined(), answer.presence(), s.joinRef()));
    for (String ref : s.takeLaterJoinRefs()) writer.reply(shared.frames().joined(answer.joined(), answer.presence(), ref));
    handleCatchUp(s, s.announced(socketSink));
  }

  void onJoinTimedOut(JoinTimedOut timeout) {
    if (subscriptions.get(timeout.room()) != timeout.subscription()) return;
    if (timeout.subscription().isResubscribing()) {
      // the client joined long ago; a room that moves (its node died) may miss a join: ask again
      subscribe(timeout.subscription(), timeout.subscription().delivered());
      return;
    }
    unsubscribe(timeout.room());
    refuseJoins(timeout.subscription(), ErrorCode.UNAVAILABLE, "the room did not answer; join again");
  }

  /** The error answers the subscription's join and every further join waiting with it. */
  private void refuseJoins(RoomSubscription s, ErrorCode code, String message) {
    writer.error(code, message, s.joinRef());
    for (String ref : s.takeLaterJoinRefs()) writer.error(code, message, ref);
  }

  /** From the node relay: the hot path of a delivery. */
  void onFeed(RoomFeed feed) {
    if (feed instanceof RoomFeed.Event live) {
      RoomSubscription s = subscriptions.get(live.event().room());
      if (s != null) {
        handle(s, s.live(live.event(), socketSink));
        // this user left or was removed: the room stops here for every socket of theirs
        if (user.equals(live.event().revokes())) unsubscribe(s.room());
      }
    } else if (feed instanceof RoomFeed.Ephemeral ephemeral) {
      onEphemeral(ephemeral);
    } else if (feed instanceof RoomFeed.Lost lost) {
      RoomSubscription s = subscriptions.get(lost.room());
      if (s != null && s.phase() != RoomSubscription.Phase.JOINING) resubscribe(s);
    }
  }

  private void onEphemeral(RoomFeed.Ephemeral ephemeral) {
    if (user.equals(ephemeral.exceptUser())) return;
    RoomSubscription s = subscriptions.get(ephemeral.room());
    if (s == null || s.phase() == RoomSubscription.Phase.JOINING || s.phase() == RoomSubscription.Phase.ANNOUNCING) return;
    if (ephemeral.collapseKey() != null && ephemeral.json().equals(lastCollapsed.put(ephemeral.collapseKey(), ephemeral.json()))) {
      return;
    }
    writer.reply(ephemeral.json());
  }

  private void subscribe(RoomSubscription subscription, Long lastSeq) {
    shared.relay().tell(new NodeRelay.Subscribe(subscription.room(), user, lastSeq, feedRef, joinReplyRef, subscription));
    timers.startSingleTimer(
        joinTimer(subscription.room()),
        new JoinTimedOut(subscription.room(), subscription),
        shared.settings().askTimeout());
  }

  private void unsubscribe(String room) {
    partialJoins.remove(room);
    RoomSubscription removed = subscriptions.remove(room);
    if (removed != null) {
      removed.stop();
      timers.cancel(joinTimer(room));
      shared.relay().tell(new NodeRelay.Unsubscribe(room, feedRef));
    }
  }

  /** A catch-up step: once it made the subscription live, its catch-up time is recorded. */
  private void handleCatchUp(RoomSubscription s, RoomSubscription.Outcome outcome) {
    if (outcome == RoomSubscription.Outcome.OK && s.phase() == RoomSubscription.Phase.LIVE) {
      shared.metrics().caughtUp(s.subscribedNanos());
    }
    handle(s, outcome);
  }

  private void handle(RoomSubscription s, RoomSubscription.Outcome outcome) {
    switch (outcome) {
      case OK -> {}
      case GAP -> resubscribe(s);
      case OVERFLOW -> writer.close(CloseReason.SLOW_CONSUMER, SocketWriter.SLOW);
    }
  }

  private void resubscribe(RoomSubscription s) {
    s.resubscribing();
    subscribe(s, s.delivered());
  }

  private static String joinTimer(String room) {
    return "join:" + room;
  }
}
