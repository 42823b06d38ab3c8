package pekkochat.fanout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import pekkochat.room.EncodedEvent;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomSubscriber;

/**
 * One per node: the only subscriber a room knows on this node (DESIGN.md rule 4). A room sends
 * each event once to every relay with subscribers; the relay hands it to its local connections.
 *
 * <p>Connections subscribe through the relay, which forwards the join to the room naming itself,
 * so the room sees this relay's subscribe and unsubscribe in the order they were sent.
 */
public final class NodeRelay extends AbstractBehavior<RoomSubscriber> {

  /**
   * What the node's connections send the relay. Rooms send it {@link RoomSubscriber}'s messages,
   * so the relay's behaviour takes both; connections hold it {@code narrow}ed to this.
   */
  public sealed interface Command extends RoomSubscriber {}

  /**
   * From a connection: subscribe it to {@code room}; the room answers the join to {@code replyTo}.
   * Live events go to {@code direct} first, then to {@code connection} when it refuses them.
   */
  public record Subscribe(
      String room,
      String user,
      Long lastSeq,
      ActorRef<RoomFeed> connection,
      ActorRef<RoomActor.JoinReply> replyTo,
      DirectFeed direct)
      implements Command {}

  /** From a connection: it leaves {@code room}; no reply. */
  public record Unsubscribe(String room, ActorRef<RoomFeed> connection) implements Command {}

  /**
   * From presence: {@code user}'s status changed; {@code json} goes once to each local socket
   * subscribed to a room of theirs. Rooms are not involved, so a sleeping room stays asleep.
   */
  public record PresenceChanged(String user, String json) implements Command {}

  /**
   * From a bridge: events of {@code room} (null: of every room) may have been lost on their way to
   * this node, or its writer moved; its sockets subscribe again from the last seq they delivered.
   */
  public record Resubscribe(String room) implements Command {}

  private record PresenceRooms(PresenceChanged change, List<String> rooms) implements Command {}

  private record ConnectionGone(ActorRef<RoomFeed> connection) implements Command {}

  private record RoomGone(String room, ActorRef<RoomActor.Command> roomActor) implements Command {}

  public static Behavior<RoomSubscriber> create(Rooms rooms, MemberRooms memberRooms) {
    return Behaviors.setup(ctx -> new NodeRelay(ctx, rooms, memberRooms));
  }

  private final Rooms rooms;
  private final MemberRooms memberRooms;
  /** Per room, its local subscribers and their direct ways in. */
  private final Map<String, Map<ActorRef<RoomFeed>, DirectFeed>> subscribers = new HashMap<>();
  private final Map<ActorRef<RoomFeed>, Set<String>> roomsOf = new HashMap<>();
  private final Map<String, ActorRef<RoomActor.Command>> watchedRooms = new HashMap<>();

  private NodeRelay(ActorContext<RoomSubscriber> ctx, Rooms rooms, MemberRooms memberRooms) {
    super(ctx);
    this.rooms = rooms;
    this.memberRooms = memberRooms;
  }

  @Override
  public Receive<RoomSubscriber> createReceive() {
    return newReceiveBuilder()
        .onMessage(RoomSubscriber.Event.class, this::onDeliver)
        .onMessage(RoomSubscriber.Ephemeral.class, this::onDeliverEphemeral)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(RoomSubscriber.Subscribed.class, this::onSubscribed)
        .onMessage(ConnectionGone.class, m -> removeConnection(m.connection()))
        .onMessage(RoomGone.class, this::onRoomGone)
        .onMessage(RoomSubscriber.Reset.class, this::onRoomReset)
        .onMessage(Resubscribe.class, this::onResubscribe)
        .onMessage(PresenceChanged.class, this::onPresenceChanged)
        .onMessage(PresenceRooms.class, this::onPresenceRooms)
        .build();
  }

  private Behavior<RoomSubscriber> onDeliver(RoomSubscriber.Event deliver) {
    Map<ActorRef<RoomFeed>, DirectFeed> local = subscribers.get(deliver.event().room());
    if (local != null) {
      EncodedEvent event = deliver.event();
      RoomFeed.Event feed = null;
      for (Map.Entry<ActorRef<RoomFeed>, DirectFeed> subscriber : local.entrySet()) {
        if (subscriber.getValue().offerLive(event)) continue;
        if (feed == null) feed = new RoomFeed.Event(event);
        subscriber.getKey().tell(feed);
      }
    }
    return this;
  }

  private Behavior<RoomSubscriber> onDeliverEphemeral(RoomSubscriber.Ephemeral deliver) {
    Map<ActorRef<RoomFeed>, DirectFeed> local = subscribers.get(deliver.room());
    if (local != null) {
      RoomFeed.Ephemeral feed = new RoomFeed.Ephemeral(deliver.room(), deliver.json(), deliver.exceptUser(), null);
      for (ActorRef<RoomFeed> connection : local.keySet()) connection.tell(feed);
    }
    return this;
  }

  private Behavior<RoomSubscriber> onPresenceChanged(PresenceChanged change) {
    if (subscribers.isEmpty()) return this; // no socket here to tell: skip the lookup
    getContext().pipeToSelf(memberRooms.of(change.user()), (roomIds, failure) -> {
      if (failure != null) getContext().getLog().warn("presence of {} not delivered: rooms unknown", change.user(), failure);
      return new PresenceRooms(change, failure == null ? roomIds : List.of());
    });
    return this;
  }

  /** Once per socket, however many of the user's rooms it joined. */
  private Behavior<RoomSubscriber> onPresenceRooms(PresenceRooms found) {
    Map<ActorRef<RoomFeed>, String> roomPerConnection = new HashMap<>();
    for (String room : found.rooms()) {
      Map<ActorRef<RoomFeed>, DirectFeed> local = subscribers.get(room);
      if (local != null) for (ActorRef<RoomFeed> connection : local.keySet()) roomPerConnection.putIfAbsent(connection, room);
    }
    String collapseKey = "presence:" + found.change().user();
    roomPerConnection.forEach((connection, room) ->
        connection.tell(new RoomFeed.Ephemeral(room, found.change().json(), null, collapseKey)));
    return this;
  }

  private Behavior<RoomSubscriber> onSubscribe(Subscribe s) {
    subscribers.computeIfAbsent(s.room(), r -> new HashMap<>()).put(s.connection(), s.direct());
    Set<String> joined = roomsOf.get(s.connection());
    if (joined == null) {
      joined = new HashSet<>();
      roomsOf.put(s.connection(), joined);
      getContext().watchWith(s.connection(), new ConnectionGone(s.connection()));
    }
    joined.add(s.room());
    rooms.room(s.room())
        .tell(new RoomActor.Join(s.user(), s.lastSeq(), getContext().getSelf(), s.replyTo()));
    return this;
  }

  private Behavior<RoomSubscriber> onUnsubscribe(Unsubscribe u) {
    Set<String> joined = roomsOf.get(u.connection());
    if (joined != null) joined.remove(u.room());
    dropSubscriber(u.room(), u.connection());
    return this;
  }

  private Behavior<RoomSubscriber> onSubscribed(RoomSubscriber.Subscribed s) {
    ActorRef<RoomActor.Command> previous = watchedRooms.put(s.room(), s.roomActor());
    if (!s.roomActor().equals(previous)) {
      if (previous != null) getContext().unwatch(previous);
      getContext().watchWith(s.roomActor(), new RoomGone(s.room(), s.roomActor()));
    }
    return this;
  }

  /** Like a stop, but the actor lives on: its next {@code Subscribed} is watched afresh. */
  private Behavior<RoomSubscriber> onRoomReset(RoomSubscriber.Reset reset) {
    if (reset.roomActor().equals(watchedRooms.get(reset.room()))) getContext().unwatch(reset.roomActor());
    return onRoomGone(new RoomGone(reset.room(), reset.roomActor()));
  }

  private Behavior<RoomSubscriber> onResubscribe(Resubscribe resubscribe) {
    List<String> rooms = resubscribe.room() == null ? List.copyOf(subscribers.keySet()) : List.of(resubscribe.room());
    for (String room : rooms) {
      ActorRef<RoomActor.Command> watched = watchedRooms.get(room);
      if (watched != null) getContext().unwatch(watched);
      lose(room);
    }
    return this;
  }

  private Behavior<RoomSubscriber> onRoomGone(RoomGone gone) {
    if (!gone.roomActor().equals(watchedRooms.get(gone.room()))) return this;
    lose(gone.room());
    return this;
  }

  private void lose(String room) {
    watchedRooms.remove(room);
    Map<ActorRef<RoomFeed>, DirectFeed> local = subscribers.get(room);
    if (local != null) {
      RoomFeed.Lost lost = new RoomFeed.Lost(room);
      for (ActorRef<RoomFeed> connection : local.keySet()) connection.tell(lost);
    }
  }

  private Behavior<RoomSubscriber> removeConnection(ActorRef<RoomFeed> connection) {
    Set<String> joined = roomsOf.remove(connection);
    if (joined != null) {
      for (String room : joined) dropSubscriber(room, connection);
    }
    return this;
  }

  private void dropSubscriber(String room, ActorRef<RoomFeed> connection) {
    Map<ActorRef<RoomFeed>, DirectFeed> local = subscribers.get(room);
    if (local == null || local.remove(connection) == null || !local.isEmpty()) return;
    subscribers.remove(room);
    ActorRef<RoomActor.Command> watched = watchedRooms.remove(room);
    if (watched != null) getContext().unwatch(watched);
    rooms.room(room).tell(new RoomActor.RemoveRelay(getContext().getSelf()));
  }
}
