package pekkochat.room;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.room.RoomProtocol.Admit;
import pekkochat.room.RoomProtocol.Applied;
import pekkochat.room.RoomProtocol.CreateInvite;
import pekkochat.room.RoomProtocol.InviteCreated;
import pekkochat.room.RoomProtocol.InviteRevoked;
import pekkochat.room.RoomProtocol.Join;
import pekkochat.room.RoomProtocol.JoinRefused;
import pekkochat.room.RoomProtocol.Rejected;
import pekkochat.room.RoomProtocol.RemoveMember;
import pekkochat.room.RoomProtocol.RevokeInvite;
import pekkochat.room.RoomProtocol.RoomView;
import pekkochat.room.RoomProtocol.SetRole;

/**
 * Who is in a live room and with what role: joins (a public room makes the joiner a member),
 * roles, leaving and removal, admission by invite, and the invite codes themselves. Every change
 * of membership is a timeline event; the rooms directory follows it once it is durable.
 */
final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final EffectFactories<RoomEvent, RoomState> effect;
  private final String roomId;
  private final RoomActor.Dependencies deps;
  private final GroupCommit writes;
  private final Subscribers subscribers;
  private final Activity activity;
  private final Clock clock;

  Membership(
      EffectFactories<RoomEvent, RoomState> effect, String roomId, RoomActor.Dependencies deps, GroupCommit writes,
      Subscribers subscribers, Activity activity, Clock clock) {
    this.effect = effect;
    this.roomId = roomId;
    this.deps = deps;
    this.writes = writes;
    this.subscribers = subscribers;
    this.activity = activity;
    this.clock = clock;
  }

  Effect<RoomEvent, RoomState> join(RoomState state, Join cmd) {
    // joined.reads must hold the marks, which load after recovery
    if (!activity.marksLoaded()) return effect.stash();
    if (state.roleOf(cmd.user()).isPresent()) {
      return effect.none().thenRun(s -> subscribers.join(s, cmd, activity.memberMarks(s)));
    }
    if (state.info().visibility() == Visibility.PRIVATE) {
      return effect.reply(cmd.replyTo(), new JoinRefused(roomId, Refusal.FORBIDDEN, "not a member of this private room"));
    }
    var joined = memberEvent(cmd.user(), cmd.user(), RoomEvent.MemberAction.JOINED, Role.MEMBER);
    return writeMemberChange(joined, (s, seq) -> subscribers.join(s, cmd, activity.memberMarks(s)), null);
  }

  Effect<RoomEvent, RoomState> setRole(RoomState state, SetRole cmd) {
    Optional<Refusal> refused = Permissions.setRole(state.roleOf(cmd.user()), state.roleOf(cmd.target()), cmd.role());
    if (refused.isPresent()) return effect.reply(cmd.replyTo(), Rejections.memberRefusal(refused.get()));
    var changed = memberEvent(cmd.user(), cmd.target(), RoomEvent.MemberAction.ROLE, cmd.role());
    return writeMemberChange(changed, (s, seq) -> cmd.replyTo().tell(new Applied(roomId, seq, changed.ts())), cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> remove(RoomState state, RemoveMember cmd) {
    boolean self = cmd.user().equals(cmd.target());
    Optional<Refusal> refused = Permissions.remove(self, state.roleOf(cmd.user()), state.roleOf(cmd.target()));
    if (refused.isPresent()) return effect.reply(cmd.replyTo(), Rejections.memberRefusal(refused.get()));
    var action = self ? RoomEvent.MemberAction.LEFT : RoomEvent.MemberAction.REMOVED;
    var removed = memberEvent(cmd.user(), cmd.target(), action, null);
    return writeMemberChange(removed, (s, seq) -> cmd.replyTo().tell(new Applied(roomId, seq, removed.ts())), cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> admit(RoomState state, Admit cmd) {
    if (state.roleOf(cmd.user()).isPresent()) return effect.reply(cmd.replyTo(), view(state, cmd.user(), deps.settings()));
    var joined = memberEvent(cmd.user(), cmd.user(), RoomEvent.MemberAction.JOINED, Role.MEMBER);
    return writeMemberChange(joined, (s, seq) -> cmd.replyTo().tell(view(s, cmd.user(), deps.settings())), cmd.replyTo());
  }

  Effect<RoomEvent, RoomState> createInvite(RoomState state, CreateInvite cmd) {
    if (Permissions.manageInvites(state.roleOf(cmd.user())).isPresent()) {
      return effect.reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "only the owner and admins make invites"));
    }
    RoomSettings settings = deps.settings();
    Duration ttl = cmd.ttlSeconds() == null ? settings.inviteDefaultTtl() : Duration.ofSeconds(cmd.ttlSeconds());
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(settings.inviteMaxTtl()) > 0
        || cmd.maxUses() != null && cmd.maxUses() < 1) {
      return effect.reply(cmd.replyTo(), new Rejected(Refusal.BAD_REQUEST,
          "ttlSeconds must be 1 to " + settings.inviteMaxTtl().toSeconds() + " and maxUses at least 1"));
    }
    String code = InviteCodes.newCode();
    long now = clock.millis();
    long expiresAt = now + ttl.toMillis();
    deps.invites()
        .create(InviteCodes.hash(code), roomId, cmd.user(), now, expiresAt, cmd.maxUses())
        .whenComplete((done, failure) -> cmd.replyTo().tell(failure == null
            ? new InviteCreated(code, expiresAt, cmd.maxUses())
            : new Rejected(Refusal.UNAVAILABLE, "the invite could not be stored; retry")));
    return effect.none();
  }

  Effect<RoomEvent, RoomState> revokeInvite(RoomState state, RevokeInvite cmd) {
    if (Permissions.manageInvites(state.roleOf(cmd.user())).isPresent()) {
      return effect.reply(cmd.replyTo(), new Rejected(Refusal.FORBIDDEN, "only the owner and admins revoke invites"));
    }
    deps.invites()
        .revoke(cmd.codeHash(), roomId)
        .whenComplete((revoked, failure) -> cmd.replyTo().tell(
            failure != null ? new Rejected(Refusal.UNAVAILABLE, "the invite could not be revoked; retry")
                : revoked ? new InviteRevoked() : new Rejected(Refusal.NOT_FOUND, "no such invite")));
    return effect.none();
  }

  /** Writes the room's entry in the rooms directory, as after creation and every recovery. */
  void index(RoomState state, Runnable then) {
    deps.index().indexRoom(state.info(), Map.copyOf(state.members())).exceptionally(this::logIndexFailure)
        .thenRun(then);
  }

  static RoomView view(RoomState state, String caller, RoomSettings settings) {
    List<RoomProtocol.MemberView> members = state.memberViews();
    boolean fits = ReplyBudget.memberParts(members, Map.of(), settings.maxReplyBytes()).size() == 1;
    return new RoomView(state.info(), state.head(), fits ? members : null, state.roleOf(caller).orElse(null));
  }

  private RoomEvent.MemberChanged memberEvent(String user, String target, RoomEvent.MemberAction action, Role role) {
    return new RoomEvent.MemberChanged(user, target, action, role, clock.millis());
  }

  /** Writes a membership change, keeps the rooms directory in step, then runs {@code after}. */
  private Effect<RoomEvent, RoomState> writeMemberChange(
      RoomEvent.MemberChanged event, GroupCommit.Durable after, ActorRef<? super Rejected> failTo) {
    return writes.change(event, (s, seq) -> {
      deps.index().indexMember(roomId, event.target(), Optional.ofNullable(event.role()))
          .exceptionally(this::logIndexFailure);
      after.run(s, seq);
    }, failTo);
  }

  private Done logIndexFailure(Throwable e) {
    log.warn("room index update of {} failed; it is rewritten on the room's next recovery", roomId, e);
    return Done.getInstance();
  }
}
