package pekkochat.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.room.RoomSubscriber;
import redis.clients.jedis.BinaryJedisPubSub;

/**
 * This node's subscription to Redis, on a thread of its own (it blocks while subscribed): its
 * inbox channel, the presence channel, and every room's event channel. Room events from other nodes go straight to the
 * node's relay, decoded here once; what this node published itself is dropped (no loops). When
 * the subscription breaks it subscribes again after a back-off, and says so to the inbox, which
 * makes the sockets subscribe again from their last seq: pub/sub drops what was published
 * meanwhile.
 */
final class RedisListener implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RedisListener.class);

  /** What the listener tells the inbox actor about its subscription. */
  sealed interface State {}

  record Subscribed(boolean again) implements State {}

  record Broken(String reason) implements State {}

  private final RedisConnection redis;
  private final BridgeChannels names;
  private final BridgeCodec codec;
  private final String self;
  private final BridgeSettings settings;
  private final ActorRef<RoomSubscriber> relay;
  private final Consumer<Object> inbox;
  private final Consumer<Object> presence;
  private final byte[] presenceChannel;
  private volatile boolean running = true;
  private volatile Pubsub current;

  RedisListener(
      RedisConnection redis, BridgeChannels names, BridgeCodec codec, String self, BridgeSettings settings,
      ActorRef<RoomSubscriber> relay, Consumer<Object> inbox, Consumer<Object> presence) {
    this.redis = redis;
    this.names = names;
    this.codec = codec;
    this.self = self;
    this.settings = settings;
    this.relay = relay;
    this.inbox = inbox;
    this.presence = presence;
    this.presenceChannel = names.presence().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void run() {
    Duration backoff = settings.reconnectMin();
    boolean subscribedBefore = false;
    while (running) {
      Pubsub pubsub = new Pubsub(subscribedBefore);
      current = pubsub;
      try {
        redis.client().subscribe(pubsub, names.inbox(self).getBytes(StandardCharsets.UTF_8), presenceChannel);
      } catch (RuntimeException e) {
        if (!running) break;
        inbox.accept(new Broken(e.toString()));
        log.warn("Redis subscription of {} broke: {}; subscribing again in {} ms", self, e.toString(), backoff.toMillis());
      }
      subscribedBefore |= pubsub.confirmed;
      if (pubsub.confirmed) backoff = settings.reconnectMin();
      sleep(backoff);
      backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax() : backoff.multipliedBy(2);
    }
  }

  void stop() {
    running = false;
    Pubsub pubsub = current;
    if (pubsub != null && pubsub.isSubscribed()) {
      try {
        pubsub.unsubscribe();
        pubsub.punsubscribe();
      } catch (RuntimeException e) {
        // the connection is going away with the node
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Pubsub extends BinaryJedisPubSub {
    private final boolean again;
    private volatile boolean confirmed;

    Pubsub(boolean again) {
      this.again = again;
    }

    @Override
    public void onSubscribe(byte[] channel, int subscribedChannels) {
      if (subscribedChannels == 2) psubscribe(names.roomPattern().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onPSubscribe(byte[] pattern, int subscribedChannels) {
      confirmed = true;
      inbox.accept(new Subscribed(again));
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      try {
        if (java.util.Arrays.equals(channel, presenceChannel)) {
          Object change = codec.presence(message);
          boolean own = change instanceof BridgeCodec.PresenceChange c ? c.origin().equals(self)
              : ((BridgeCodec.NodeLeft) change).origin().equals(self);
          if (!own) presence.accept(change);
          return;
        }
        inbox.accept(codec.inbox(message));
      } catch (RuntimeException e) {
        log.warn("dropped an unreadable inbox message: {}", e.toString());
      }
    }

    @Override
    public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
      String room = names.roomOf(new String(channel, StandardCharsets.UTF_8));
      BridgeCodec.ChannelMessage decoded;
      try {
        decoded = codec.channel(room, message);
      } catch (RuntimeException e) {
        log.warn("dropped an unreadable message of room {}: {}", room, e.toString());
        return;
      }
      if (decoded.origin().equals(self)) return;
      if (decoded instanceof BridgeCodec.ChannelEvent event) {
        relay.tell(new RoomSubscriber.Event(event.event()));
      } else if (decoded instanceof BridgeCodec.ChannelEphemeral ephemeral) {
        relay.tell(new RoomSubscriber.Ephemeral(room, ephemeral.json(), ephemeral.exceptUser()));
      } else {
        inbox.accept(new RoomRestarted(room));
      }
    }
  }

  /** A room's writer restarted (a journal failure): its sockets here subscribe again. */
  record RoomRestarted(String room) {}
}
