package pekkochat.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import pekkochat.auth.Principal;
import pekkochat.fanout.NodeRelay;
import pekkochat.fanout.RoomFeed;
import pekkochat.fanout.Rooms;
import pekkochat.presence.Presence;
import pekkochat.presence.PresenceStatus;
import pekkochat.room.RoomActor;
import pekkochat.wire.ClientFrame;
import pekkochat.wire.ClientFrameParser;
import pekkochat.wire.ErrorCode;
import pekkochat.wire.Refusals;
import pekkochat.wire.ServerFrames;

/**
 * One per socket: reads its client frames, asks rooms to write, and closes the socket when it
 * must. Its rooms are {@link RoomJoins}, its writes {@link SocketWriter}; it never holds room
 * state. The socket's stream ({@link FrameLayer}) hands it one text message at a time.
 */
public final class ConnectionActor extends AbstractBehavior<ConnectionActor.Command> {

  public interface Command {}

  /** Ask the socket to close with a reason, e.g. {@code draining} on shutdown. */
  public record Close(CloseReason reason, String message) implements Command {}

  record TextReceived(String text) implements Command {}

  record Refused(CloseReason reason) implements Command {}

  record StreamEnded() implements Command {}

  private record Feed(RoomFeed feed) implements Command {}

  private record SendAnswer(long id, String ref, long receivedNanos, RoomActor.SendReply reply, Throwable failure)
      implements Command {}

  private record ChangeAnswer(long id, String ref, RoomActor.ChangeReply reply, Throwable failure) implements Command {}

  private record IdleCheck() implements Command {}

  private record CredentialExpired() implements Command {}

  private record CloseGraceOver() implements Command {}

  /** What every connection of a node shares. */
  public record Context(
      Rooms rooms,
      ActorRef<NodeRelay.Command> relay,
      SocketSettings settings,
      SocketMetrics metrics,
      ClientFrameParser parser,
      ServerFrames frames,
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
  private final FrameLimiter limiter;
  private final SocketWriter writer;
  private final RoomJoins rooms;
  private final PendingWrites pending;
  /** When the last client frame arrived; the one idle timer checks it instead of restarting per frame. */
  private long lastFrameNanos = System.nanoTime();

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
    this.limiter = new FrameLimiter(settings.rateLimits());
    this.writer = new SocketWriter(outbound, shared.frames(), shared.metrics(), this::closing);
    this.rooms = new RoomJoins(ctx, timers, user, shared, writer, ctx.messageAdapter(RoomFeed.class, Feed::new));
    this.pending = new PendingWrites(timers, settings.writeTimeout(), writer, shared.metrics());
    shared.metrics().opened();
    shared.presence().connected(user, ctx.getSelf());
    timers.startSingleTimer(IdleCheck.class, new IdleCheck(), settings.idleTimeout());
    Duration untilExpiry = Duration.between(Instant.now(), principal.credentialExpiresAt());
    timers.startSingleTimer(CredentialExpired.class, new CredentialExpired(), untilExpiry.isNegative() ? Duration.ZERO : untilExpiry);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Feed.class, f -> {
          rooms.onFeed(f.feed());
          return this;
        })
        .onMessage(TextReceived.class, this::onText)
        .onMessage(Refused.class, r -> close(r.reason(), refusal(r.reason())))
        .onMessage(RoomJoins.JoinAnswer.class, a -> {
          rooms.onJoinAnswer(a);
          return this;
        })
        .onMessage(RoomJoins.JoinPresence.class, p -> {
          rooms.onJoinPresence(p);
          return this;
        })
        .onMessage(RoomJoins.JoinTimedOut.class, t -> {
          rooms.onJoinTimedOut(t);
          return this;
        })
        .onMessage(SendAnswer.class, this::onSendAnswer)
        .onMessage(ChangeAnswer.class, this::onChangeAnswer)
        .onMessage(PendingWrites.Due.class, d -> {
          pending.onDue();
          return this;
        })
        .onMessage(Close.class, c -> close(c.reason(), c.message()))
        .onMessage(IdleCheck.class, t -> onIdleCheck())
        .onMessage(CredentialExpired.class, t -> close(CloseReason.TOKEN_EXPIRED, "the credential of this socket expired"))
        .onMessage(StreamEnded.class, e -> Behaviors.stopped())
        .onMessage(CloseGraceOver.class, e -> {
          outbound.abort();
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          // however this actor ended, its socket ends too (a no-op if the stream is gone already)
          outbound.abort();
          shared.metrics().closedSocket();
          return this;
        })
        .build();
  }

  // ---- client frames ----

  private Behavior<Command> onText(TextReceived received) {
    outbound.resume();
    if (writer.closing()) return this;
    shared.metrics().frameIn();
    lastFrameNanos = System.nanoTime();
    ClientFrame parsed = shared.parser().parse(received.text());
    if (!limiter.allows(parsed, lastFrameNanos)) return refuseOverLimit(parsed);
    if (parsed instanceof ClientFrame.Send send) onSend(send);
    else if (parsed instanceof ClientFrame.Join join) rooms.join(join);
    else if (parsed instanceof ClientFrame.Leave leave) rooms.leave(leave);
    else if (parsed instanceof ClientFrame.Ping ping) writer.reply(shared.frames().pong(ping.ref()));
    else if (parsed instanceof ClientFrame.Typing typing) onTyping(typing);
    else if (parsed instanceof ClientFrame.Read read) {
      askChange(read.room(), read.ref(), replyTo -> new RoomActor.MarkRead(user, read.seq(), replyTo));
    } else if (parsed instanceof ClientFrame.Edit edit) {
      askChange(edit.room(), edit.ref(), replyTo -> new RoomActor.Edit(user, edit.target(), edit.text(), replyTo));
    } else if (parsed instanceof ClientFrame.Delete delete) {
      askChange(delete.room(), delete.ref(), replyTo -> new RoomActor.Delete(user, delete.target(), replyTo));
    } else if (parsed instanceof ClientFrame.Presence presence) {
      shared.presence().statusSet(user, PresenceStatus.valueOf(presence.status().toUpperCase(Locale.ROOT)));
    } else if (parsed instanceof ClientFrame.Invalid invalid) {
      writer.error(ErrorCode.BAD_REQUEST, invalid.message(), invalid.ref());
    }
    return this;
  }

  private String refusal(CloseReason reason) {
    return switch (reason) {
      case TOO_LARGE -> "a frame may hold at most " + settings.maxFrameBytes() + " bytes";
      case INVALID_TEXT -> "a text frame must be UTF-8";
      default -> "frames are JSON text";
    };
  }

  /** A frame over its type's rate limit is answered and dropped; the socket stays (PROTOCOL.md §5). */
  private Behavior<Command> refuseOverLimit(ClientFrame frame) {
    if (frame instanceof ClientFrame.Send) shared.metrics().sendAnswered(ErrorCode.RATE_LIMITED.wireName());
    String type = RateLimits.kindOf(frame).configName();
    writer.error(ErrorCode.RATE_LIMITED, "too many " + type + " frames; slow down", frame.ref());
    return this;
  }

  private void onSend(ClientFrame.Send send) {
    long received = System.nanoTime();
    long id = pending.await(send.ref(), true, received);
    // the room answers every send, one past its deadline too; the ask's own timeout is a safety net
    getContext().ask(
        RoomActor.SendReply.class,
        shared.rooms().room(send.room()),
        settings.askTimeout(),
        replyTo -> new RoomActor.Send(user, send.clientId(), send.text(), replyTo,
            System.currentTimeMillis() + settings.writeTimeout().toMillis()),
        (reply, failure) -> new SendAnswer(id, send.ref(), received, reply, failure));
  }

  private void onTyping(ClientFrame.Typing typing) {
    // typing goes to the room's subscribers, so only a socket subscribed to it may type there
    if (!rooms.joined(typing.room())) {
      writer.error(ErrorCode.FORBIDDEN, "join the room first", typing.ref());
      return;
    }
    shared.rooms().room(typing.room()).tell(new RoomActor.Typing(user));
  }

  private void askChange(
      String room, String ref, Function<ActorRef<RoomActor.ChangeReply>, RoomActor.Command> command) {
    long id = pending.await(ref, false, System.nanoTime());
    getContext().ask(
        RoomActor.ChangeReply.class,
        shared.rooms().room(room),
        settings.askTimeout(),
        command::apply,
        (reply, failure) -> new ChangeAnswer(id, ref, reply, failure));
  }

  // ---- answers from rooms ----

  private Behavior<Command> onChangeAnswer(ChangeAnswer answer) {
    // answered unavailable at its deadline already: the client retries, this answer is stale
    if (!pending.answered(answer.id())) return this;
    if (answer.reply() instanceof RoomActor.Applied applied) {
      writer.reply(shared.frames().ack(applied, answer.ref()));
    } else if (answer.reply() instanceof RoomActor.Rejected rejected) {
      writer.error(Refusals.code(rejected.refusal()), rejected.message(), answer.ref());
    } else {
      pending.unavailable(answer.ref(), false);
    }
    return this;
  }

  private Behavior<Command> onSendAnswer(SendAnswer answer) {
    if (!pending.answered(answer.id())) return this;
    if (answer.reply() instanceof RoomActor.Acked acked) {
      writer.reply(shared.frames().ack(acked, answer.ref()));
      shared.metrics().acked(answer.receivedNanos());
      shared.metrics().sendAnswered(SocketMetrics.ACKED);
    } else if (answer.reply() instanceof RoomActor.Rejected rejected) {
      ErrorCode code = Refusals.code(rejected.refusal());
      shared.metrics().sendAnswered(code.wireName());
      writer.error(code, rejected.message(), answer.ref());
    } else {
      pending.unavailable(answer.ref(), true);
    }
    return this;
  }

  // ---- closing ----

  private Behavior<Command> onIdleCheck() {
    long quiet = System.nanoTime() - lastFrameNanos;
    long idle = settings.idleTimeout().toNanos();
    if (quiet >= idle) {
      return close(CloseReason.IDLE, "nothing received for " + settings.idleTimeout().toSeconds() + " s");
    }
    timers.startSingleTimer(IdleCheck.class, new IdleCheck(), Duration.ofNanos(idle - quiet));
    return this;
  }

  private Behavior<Command> close(CloseReason reason, String message) {
    writer.close(reason, message);
    return this;
  }

  /** The socket started closing: no more timers but the bound on the close handshake. */
  private void closing() {
    timers.cancelAll();
    pending.stop();
    timers.startSingleTimer(CloseGraceOver.class, new CloseGraceOver(), settings.closeGrace());
  }
}
