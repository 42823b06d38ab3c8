package pekkochat.room;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import pekkochat.common.CborSerializable;

/**
 * The messages of a {@link RoomActor}, which implements this interface so that callers write
 * {@code RoomActor.Send}. Senders are the node's connections (through their relay for joins), its
 * REST routes, relays and presence; every reply names its room, as a caller may have several
 * rooms' replies in flight.
 */
public interface RoomProtocol {

  /** A request that a room can refuse: an unknown room answers it {@code not_found}. */
  interface Request {
    ActorRef<? super Rejected> replyTo();
  }

  sealed interface Command extends CborSerializable
      permits Create, Join, Send, Edit, Delete, SetRole, RemoveMember, Typing, MarkRead, CreateInvite,
          RevokeInvite, Admit, GetRoom, GetHistory, RemoveRelay, Follow, Stop,
          RoomSelf.Idle, RoomSelf.Flush, RoomSelf.TargetResolved, RoomSelf.MarksLoaded, RoomSelf.LoadMarks,
          RoomSelf.MarkStored {}

  /** From REST: make the room, {@code owner} its owner → {@link RoomView}, or {@code conflict} if it exists. */
  record Create(String name, Visibility visibility, String owner, ActorRef<CreateReply> replyTo)
      implements Command, Request {}

  /**
   * From a relay, for a socket: subscribe {@code subscriber} (a public room also makes {@code user} a
   * member) → {@link Joined}, then {@link CatchUp} chunks, the last one flagged; live events follow
   * to the subscriber only after the catch-up was sent.
   */
  record Join(String user, Long lastSeq, ActorRef<RoomSubscriber> subscriber, ActorRef<JoinReply> replyTo)
      implements Command {}

  /**
   * From a socket: post a message → {@link Acked} once its event is durable (a retry of the same
   * {@code clientId} gets the first seq), or {@code unavailable} when its write failed. A send
   * the room reaches only after {@code answerBy} (epoch millis) is dropped unwritten: its socket
   * has answered it {@code unavailable} already, and the client retries it.
   */
  record Send(String user, String clientId, String text, ActorRef<SendReply> replyTo, long answerBy)
      implements Command, Request {
    /** No deadline: the room writes it however long it waited. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public Send(String user, String clientId, String text, ActorRef<SendReply> replyTo) {
      this(user, clientId, text, replyTo, NO_DEADLINE);
    }
  }

  /** From a socket: the author edits message {@code target} → {@link Applied} once durable. */
  record Edit(String user, long target, String text, ActorRef<ChangeReply> replyTo) implements Command, Request {}

  /** From a socket: the author, an admin or the owner deletes message {@code target} → {@link Applied}. */
  record Delete(String user, long target, ActorRef<ChangeReply> replyTo) implements Command, Request {}

  /** From REST: the owner gives {@code target} a role → {@link Applied} once durable. */
  record SetRole(String user, String target, Role role, ActorRef<ChangeReply> replyTo) implements Command, Request {}

  /** From REST or a socket: {@code user} removes {@code target}, or leaves when they are the same → {@link Applied}. */
  record RemoveMember(String user, String target, ActorRef<ChangeReply> replyTo) implements Command, Request {}

  /** From a socket: tell the other subscribers; no reply, never stored, at most one a second per user. */
  record Typing(String user) implements Command {}

  /** From a socket: move {@code user}'s read mark forward → {@link Applied} with the mark once stored. */
  record MarkRead(String user, long seq, ActorRef<ChangeReply> replyTo) implements Command, Request {}

  /** From REST: owner or admin makes a code → {@link InviteCreated}; null ttl = default, null maxUses = unlimited. */
  record CreateInvite(String user, Long ttlSeconds, Integer maxUses, ActorRef<InviteReply> replyTo)
      implements Command, Request {}

  /** From REST: owner or admin revokes the code with this hash → {@link InviteRevoked}, or {@code not_found}. */
  record RevokeInvite(String user, String codeHash, ActorRef<InviteReply> replyTo) implements Command, Request {}

  /** From REST, after {@code user} used an invite code of this room: make them a member → {@link RoomView}. */
  record Admit(String user, ActorRef<RoomReply> replyTo) implements Command, Request {}

  /** From REST: the room as {@code user} may see it → {@link RoomView}, {@code forbidden} for a private non-member. */
  record GetRoom(String user, ActorRef<RoomReply> replyTo) implements Command, Request {}

  /** From REST: up to {@code limit} events with seq below {@code before} (null: the newest) → {@link HistoryPage}. */
  record GetHistory(String user, Long before, Integer limit, ActorRef<HistoryReply> replyTo)
      implements Command, Request {}

  /** From a relay with no subscriber of this room left (or from the room's watch when it stopped): no reply. */
  record RemoveRelay(ActorRef<RoomSubscriber> relay) implements Command {}

  /**
   * From a bridge between nodes: send {@code follower} every live event and ephemeral frame of the
   * room, and {@link RoomSubscriber.Reset} when it restarts; no member joins, no catch-up, no
   * reply, and a follower does not keep the room awake. A join naming the follower as its
   * subscriber answers as any join, and leaves it a follower.
   */
  record Follow(ActorRef<RoomSubscriber> follower) implements Command {}

  /** From sharding, for passivation and hand-off: the room stops once its write is done. */
  record Stop() implements Command {}

  sealed interface CreateReply extends CborSerializable {}

  sealed interface JoinReply extends CborSerializable {}

  sealed interface SendReply extends CborSerializable {}

  sealed interface ChangeReply extends CborSerializable {}

  sealed interface InviteReply extends CborSerializable {}

  sealed interface RoomReply extends CborSerializable {}

  sealed interface HistoryReply extends CborSerializable {}

  record MemberView(String user, Role role) implements CborSerializable {}

  /**
   * A room as REST shows it; {@code callerRole} is null for a non-member. {@code members} is null
   * when they would not fit one message between nodes (chat.room.max-reply-bytes): the rooms
   * directory, which follows every membership event, then lists them.
   */
  record RoomView(RoomInfo info, long head, List<MemberView> members, Role callerRole)
      implements CreateReply, RoomReply {}

  /**
   * The join took. A big room's members and read marks come in parts to fit the wire: when
   * {@code complete} is false, {@link JoinedMembers} follow, the last one flagged; then the
   * {@link CatchUp} messages, the last one flagged.
   */
  record Joined(
      String room, long head, long firstSeq, List<MemberView> members, Map<String, Long> reads,
      ActorRef<Command> roomActor, boolean complete)
      implements JoinReply {
    /** This join with a further part's members and marks added. */
    public Joined plus(JoinedMembers part) {
      List<MemberView> allMembers = new java.util.ArrayList<>(members);
      allMembers.addAll(part.members());
      Map<String, Long> allReads = new java.util.HashMap<>(reads);
      allReads.putAll(part.reads());
      return new Joined(room, head, firstSeq, List.copyOf(allMembers), Map.copyOf(allReads), roomActor, part.last());
    }
  }

  /** More of a {@link Joined}'s members and their read marks. */
  record JoinedMembers(String room, List<MemberView> members, Map<String, Long> reads, boolean last)
      implements JoinReply {}

  record CatchUp(String room, List<EncodedEvent> events, boolean last) implements JoinReply {}

  record Acked(String room, String clientId, long seq, long ts) implements SendReply {}

  /** A change took effect; {@code seq} is its event's, or the unchanged read mark. */
  record Applied(String room, long seq, long ts) implements ChangeReply {}

  /** {@code code} is the only copy of the code: the room keeps its hash. */
  record InviteCreated(String code, long expiresAt, Integer maxUses) implements InviteReply {}

  record InviteRevoked() implements InviteReply {}

  /** History events as wire text, ascending. */
  record HistoryPage(String room, List<String> events) implements HistoryReply {}

  record Rejected(Refusal refusal, String message)
      implements CreateReply, SendReply, ChangeReply, InviteReply, RoomReply, HistoryReply {}

  /** The join was refused; it names its room, as a socket may have several joins in flight. */
  record JoinRefused(String room, Refusal refusal, String message) implements JoinReply {}
}
