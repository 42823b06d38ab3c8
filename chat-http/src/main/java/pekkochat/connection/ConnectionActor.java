package pekkochat.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import pekkochat.auth.Principal;
import pekkochat.room.EncodedEvent;
import pekkochat.fanout.NodeRelay;
import pekkochat.fanout.RoomFeed;
import pekkochat.fanout.Rooms;
import pekkochat.room.RoomActor;
import pekkochat.wire.ErrorCode;
import pekkochat.presence.Presence;
import pekkochat.presence.PresenceStatus;
import pekkochat.wire.Refusals;
import pekkochat.wire.ClientFrame;

/**
 * One per socket: reads its frames, holds its room subscriptions, and writes to its bounded
 * outbound queue. It speaks to rooms and to the node relay; it never holds room state.
 */
public final class ConnectionActor extends AbstractBehavior<ConnectionActor.Command> {

  public interface Command {}

  /** Ask the socket to close with a reason, e.g. {@code draining} on shutdown. */
  public record Close(CloseReason reason, String message) implements Command {}

  /** Back-pressure acknowledgement to the inbound stream: one frame at a time. */
  enum StreamAck { INSTANCE }

  record StreamStarted(ActorRef<StreamAck> ackTo) implements Command {}

  record FrameReceived(ActorRef<StreamAck> ackTo, InboundFrame frame) implements Command {}

  record StreamEnded() implements Command {}

  private record Feed(RoomFeed feed) implements Command {}

  private record JoinAnswer(RoomActor.JoinReply reply) implements Command {}

  private record JoinTimedOut(String room, RoomSubscription subscription) implements Command {}

  private record SendAnswer(String ref, RoomActor.SendReply reply, Throwable failure) implements Command {}

  private record ChangeAnswer(String ref, RoomActor.ChangeReply reply, Throwable failure) implements Command {}

  /** The presence of a joined room's members, for its {@code joined} frame. */
  private record JoinPresence(
      RoomSubscription subscription, RoomActor.Joined joined, Map<String, PresenceStatus> presence)
      implements Command {}

  private record IdleTimeout() implements Command {}

  private record CredentialExpired() implements Command {}

  private record CloseGraceOver() implements Command {}

  /** What every connection of a node shares. */
  public record Context(
      Rooms rooms,
      ActorRef<NodeRelay.Command> relay,
      SocketSettings settings,
      SocketMetrics metrics,
      pekkochat.wire.ClientFrameParser parser,
      pekkochat.wire.ServerFrames frames,
      Presence presence) {}

  static Behavior<Command> create(Principal principal, Outbound outbound, Context shared) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new ConnectionActor(ctx, timers, principal, outbound, shared)));
  }

  private final TimerScheduler<Command> timers;
  private final String user;
  private final Outbound outbound;
  private final Context shared;
  private final SocketSettings settings;
  private final RateLimiter rateLimiter;
  private final ActorRef<RoomFeed> feedRef;
  private final ActorRef<RoomActor.JoinReply> joinReplyRef;
  private final Map<String, RoomSubscription> subscriptions = new HashMap<>();
  /** The last frame written per collapse key (see {@link RoomFeed.Ephemeral}). */
  private final Map<String, String> lastCollapsed = new HashMap<>();
  private final RoomSubscription.Sink socketSink = this::writeEvent;
  private boolean closing;

  private ConnectionActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Principal principal,
      Outbound outbound,
      Context shared) {
    super(ctx);
    this.timers = timers;
    this.user = principal.username();
    this.outbound = outbound;
    this.shared = shared;
    this.settings = shared.settings();
    this.rateLimiter = new RateLimiter(settings.rateLimitBurst(), settings.rateLimitPerSecond(), System.nanoTime());
    this.feedRef = ctx.messageAdapter(RoomFeed.class, Feed::new);
    this.joinReplyRef = ctx.messageAdapter(RoomActor.JoinReply.class, JoinAnswer::new);
    shared.metrics().opened();
    shared.presence().connected(user, ctx.getSelf());
    timers.startSingleTimer(IdleTimeout.class, new IdleTimeout(), settings.idleTimeout());
    Duration untilExpiry = Duration.between(Instant.now(), principal.credentialExpiresAt());
    timers.startSingleTimer(CredentialExpired.class, new CredentialExpired(), untilExpiry.isNegative() ? Duration.ZERO : untilExpiry);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Feed.class, this::onFeed)
        .onMessage(FrameReceived.class, this::onFrame)
        .onMessage(StreamStarted.class, s -> ack(s.ackTo()))
        .onMessage(JoinAnswer.class, this::onJoinAnswer)
        .onMessage(SendAnswer.class, this::onSendAnswer)
        .onMessage(ChangeAnswer.class, this::onChangeAnswer)
        .onMessage(JoinPresence.class, this::onJoinPresence)
        .onMessage(JoinTimedOut.class, this::onJoinTimedOut)
        .onMessage(Close.class, c -> close(c.reason(), c.message()))
        .onMessage(IdleTimeout.class, t -> close(CloseReason.IDLE, "nothing received for " + settings.idleTimeout().toSeconds() + " s"))
        .onMessage(CredentialExpired.class, t -> close(CloseReason.TOKEN_EXPIRED, "the credential of this socket expired"))
        .onMessage(StreamEnded.class, e -> Behaviors.stopped())
        .onMessage(CloseGraceOver.class, e -> {
          outbound.abort();
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  private Behavior<Command> ack(ActorRef<StreamAck> ackTo) {
    ackTo.tell(StreamAck.INSTANCE);
    return this;
  }

  // ---- inbound frames ----

  private Behavior<Command> onFrame(FrameReceived received) {
    received.ackTo().tell(StreamAck.INSTANCE);
    if (closing) return this;
    shared.metrics().frameIn();
    timers.startSingleTimer(IdleTimeout.class, new IdleTimeout(), settings.idleTimeout());
    InboundFrame frame = received.frame();
    if (frame instanceof InboundFrame.Binary) {
      return close(CloseReason.BINARY_FRAME, "frames are JSON text");
    }
    if (frame instanceof InboundFrame.TooLarge) {
      return close(CloseReason.TOO_LARGE, "a frame may hold at most " + settings.maxFrameBytes() + " bytes");
    }
    ClientFrame parsed = shared.parser().parse(((InboundFrame.Text) frame).text());
    if (parsed instanceof ClientFrame.Send send) onSend(send);
    else if (parsed instanceof ClientFrame.Join join) onJoin(join);
    else if (parsed instanceof ClientFrame.Leave leave) onLeave(leave);
    else if (parsed instanceof ClientFrame.Ping ping) reply(shared.frames().pong(ping.ref()));
    else if (parsed instanceof ClientFrame.Typing typing) onTyping(typing);
    else if (parsed instanceof ClientFrame.Read read) {
      askChange(read.room(), read.ref(), replyTo -> new RoomActor.MarkRead(user, read.seq(), replyTo));
    } else if (parsed instanceof ClientFrame.Edit edit) {
      askChange(edit.room(), edit.ref(), replyTo -> new RoomActor.Edit(user, edit.target(), edit.text(), replyTo));
    } else if (parsed instanceof ClientFrame.Delete delete) {
      askChange(delete.room(), delete.ref(), replyTo -> new RoomActor.Delete(user, delete.target(), replyTo));
    } else if (parsed instanceof ClientFrame.Presence presence) {
      shared.presence().statusSet(user, PresenceStatus.valueOf(presence.status().toUpperCase(java.util.Locale.ROOT)));
    } else if (parsed instanceof ClientFrame.Invalid invalid) {
      error(ErrorCode.BAD_REQUEST, invalid.message(), invalid.ref());
    }
    return this;
  }

  private void onJoin(ClientFrame.Join join) {
    RoomSubscription subscription =
        new RoomSubscription(join.room(), join.ref(), settings.outboundQueueSize());
    subscriptions.put(join.room(), subscription);
    subscribe(subscription, join.lastSeq());
  }

  private void subscribe(RoomSubscription subscription, Long lastSeq) {
    shared.relay().tell(new NodeRelay.Subscribe(subscription.room(), user, lastSeq, feedRef, joinReplyRef));
    timers.startSingleTimer(
        joinTimer(subscription.room()),
        new JoinTimedOut(subscription.room(), subscription),
        settings.askTimeout());
  }

  private void onLeave(ClientFrame.Leave leave) {
    unsubscribe(leave.room());
    reply(shared.frames().left(leave.room(), leave.ref()));
  }

  private void onSend(ClientFrame.Send send) {
    if (!rateLimiter.tryAcquire(System.nanoTime())) {
      error(ErrorCode.RATE_LIMITED, "too many sends; slow down", send.ref());
      return;
    }
    getContext().ask(
        RoomActor.SendReply.class,
        shared.rooms().room(send.room()),
        settings.askTimeout(),
        replyTo -> new RoomActor.Send(user, send.clientId(), send.text(), replyTo),
        (reply, failure) -> new SendAnswer(send.ref(), reply, failure));
  }

  private void onTyping(ClientFrame.Typing typing) {
    // typing goes to the room's subscribers, so only a socket subscribed to it may type there
    if (!subscriptions.containsKey(typing.room())) {
      error(ErrorCode.FORBIDDEN, "join the room first", typing.ref());
      return;
    }
    shared.rooms().room(typing.room()).tell(new RoomActor.Typing(user));
  }

  private void askChange(
      String room, String ref, java.util.function.Function<ActorRef<RoomActor.ChangeReply>, RoomActor.Command> command) {
    getContext().ask(
        RoomActor.ChangeReply.class,
        shared.rooms().room(room),
        settings.askTimeout(),
        command::apply,
        (reply, failure) -> new ChangeAnswer(ref, reply, failure));
  }

  // ---- answers from rooms ----

  private Behavior<Command> onChangeAnswer(ChangeAnswer answer) {
    if (answer.reply() instanceof RoomActor.Applied applied) {
      reply(shared.frames().ack(applied, answer.ref()));
    } else if (answer.reply() instanceof RoomActor.Rejected rejected) {
      error(Refusals.code(rejected.refusal()), rejected.message(), answer.ref());
    } else {
      error(ErrorCode.UNAVAILABLE, "the room did not answer in time; retry", answer.ref());
    }
    return this;
  }

  private Behavior<Command> onSendAnswer(SendAnswer answer) {
    if (answer.reply() instanceof RoomActor.Acked acked) {
      reply(shared.frames().ack(acked, answer.ref()));
    } else if (answer.reply() instanceof RoomActor.Rejected rejected) {
      error(Refusals.code(rejected.refusal()), rejected.message(), answer.ref());
    } else {
      error(ErrorCode.UNAVAILABLE, "the room cannot take writes now; retry with the same clientId", answer.ref());
    }
    return this;
  }

  private Behavior<Command> onJoinAnswer(JoinAnswer answer) {
    RoomActor.JoinReply reply = answer.reply();
    if (reply instanceof RoomActor.CatchUp catchUp) {
      RoomSubscription s = subscriptions.get(catchUp.room());
      if (s != null && (s.phase() == RoomSubscription.Phase.CATCHING_UP || s.phase() == RoomSubscription.Phase.ANNOUNCING)) {
        handle(s, s.catchUp(catchUp.events(), catchUp.last(), socketSink));
      }
    } else if (reply instanceof RoomActor.Joined joined) {
      RoomSubscription s = subscriptions.get(joined.room());
      if (s != null && s.phase() == RoomSubscription.Phase.JOINING) {
        timers.cancel(joinTimer(joined.room()));
        if (s.joined(joined.firstSeq())) {
          List<String> members = joined.members().stream().map(RoomActor.MemberView::user).toList();
          getContext().pipeToSelf(shared.presence().lookup(members), (presence, failure) ->
              new JoinPresence(s, joined, failure == null ? presence : Map.of()));
        }
      }
    } else if (reply instanceof RoomActor.JoinRefused refused) {
      RoomSubscription s = subscriptions.get(refused.room());
      if (s != null) {
        unsubscribe(refused.room());
        error(Refusals.code(refused.refusal()), refused.message(), s.joinRef());
      }
    }
    return this;
  }

  private Behavior<Command> onJoinPresence(JoinPresence answer) {
    RoomSubscription s = answer.subscription();
    if (subscriptions.get(s.room()) != s || s.phase() != RoomSubscription.Phase.ANNOUNCING) return this;
    reply(shared.frames().joined(answer.joined(), answer.presence(), s.joinRef()));
    handle(s, s.announced(socketSink));
    return this;
  }

  private Behavior<Command> onJoinTimedOut(JoinTimedOut timeout) {
    if (subscriptions.get(timeout.room()) != timeout.subscription()) return this;
    unsubscribe(timeout.room());
    error(ErrorCode.UNAVAILABLE, "the room did not answer; join again", timeout.subscription().joinRef());
    return this;
  }

  private Behavior<Command> onFeed(Feed feed) {
    if (feed.feed() instanceof RoomFeed.Event live) {
      RoomSubscription s = subscriptions.get(live.event().room());
      if (s != null) {
        handle(s, s.live(live.event(), socketSink));
        // this user left or was removed: the room stops here for every socket of theirs
        if (user.equals(live.event().revokes())) unsubscribe(s.room());
      }
    } else if (feed.feed() instanceof RoomFeed.Ephemeral ephemeral) {
      onEphemeral(ephemeral);
    } else if (feed.feed() instanceof RoomFeed.Lost lost) {
      RoomSubscription s = subscriptions.get(lost.room());
      if (s != null && s.phase() != RoomSubscription.Phase.JOINING) resubscribe(s);
    }
    return this;
  }

  private void onEphemeral(RoomFeed.Ephemeral ephemeral) {
    if (user.equals(ephemeral.exceptUser())) return;
    RoomSubscription s = subscriptions.get(ephemeral.room());
    if (s == null || s.phase() == RoomSubscription.Phase.JOINING || s.phase() == RoomSubscription.Phase.ANNOUNCING) return;
    if (ephemeral.collapseKey() != null && ephemeral.json().equals(lastCollapsed.put(ephemeral.collapseKey(), ephemeral.json()))) {
      return;
    }
    reply(ephemeral.json());
  }

  private void unsubscribe(String room) {
    if (subscriptions.remove(room) != null) {
      timers.cancel(joinTimer(room));
      shared.relay().tell(new NodeRelay.Unsubscribe(room, feedRef));
    }
  }

  private void handle(RoomSubscription s, RoomSubscription.Outcome outcome) {
    switch (outcome) {
      case OK -> {}
      case GAP -> resubscribe(s);
      case OVERFLOW -> close(CloseReason.SLOW_CONSUMER, "the socket did not keep up; resume by lastSeq");
    }
  }

  private void resubscribe(RoomSubscription s) {
    s.resubscribing();
    subscribe(s, s.delivered());
  }

  // ---- outbound ----

  private boolean writeEvent(EncodedEvent event) {
    return write(event.json(), event.persistedAtNanos());
  }

  private void reply(String json) {
    write(json, 0);
  }

  private void error(ErrorCode code, String message, String ref) {
    reply(shared.frames().error(code.wireName(), message, ref));
  }

  private boolean write(String json, long persistedAtNanos) {
    if (closing) return false;
    switch (outbound.offer(json, persistedAtNanos)) {
      case ACCEPTED:
        return true;
      case FULL:
        close(CloseReason.SLOW_CONSUMER, "the socket did not keep up; resume by lastSeq");
        return false;
      default:
        return false;
    }
  }

  private Behavior<Command> close(CloseReason reason, String message) {
    if (closing) return this;
    closing = true;
    shared.metrics().closedFor(reason.wire());
    outbound.close(shared.frames().closing(reason.wire(), message));
    timers.cancelAll();
    timers.startSingleTimer(CloseGraceOver.class, new CloseGraceOver(), settings.closeGrace());
    return this;
  }

  private Behavior<Command> onStop() {
    shared.metrics().closedSocket();
    return this;
  }

  private static String joinTimer(String room) {
    return "join:" + room;
  }
}
