package pekkochat.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Everything this node publishes to Redis, in the order it was asked: a room's events must reach
 * other nodes in seq order. One pipeline is in flight at a time; what arrives meanwhile goes in
 * the next (at most {@code max-publish-batch}), so a burst costs a round trip, not one each. Past
 * {@code publish-queue} waiting messages (Redis slow or down), a publish fails at once.
 */
final class RedisPublisher extends AbstractBehavior<RedisPublisher.Command> {

  sealed interface Command {}

  /** {@code replyTo} (may be null) learns how many subscribers got it, with {@code token}. */
  record Publish(String channel, byte[] message, ActorRef<Published> replyTo, long token) implements Command {}

  /** {@code receivers} is -1 when the publish failed. */
  record Published(long token, long receivers) {
    boolean failed() {
      return receivers < 0;
    }
  }

  private record Flushed(List<Publish> batch, List<Long> receivers, Throwable failure) implements Command {}

  static Behavior<Command> create(RedisConnection redis, BridgeSettings settings) {
    return Behaviors.setup(ctx -> new RedisPublisher(ctx, redis, settings));
  }

  private final RedisConnection redis;
  private final BridgeSettings settings;
  private final ArrayDeque<Publish> waiting = new ArrayDeque<>();
  private boolean inFlight;

  private RedisPublisher(ActorContext<Command> ctx, RedisConnection redis, BridgeSettings settings) {
    super(ctx);
    this.redis = redis;
    this.settings = settings;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Flushed.class, this::onFlushed)
        .build();
  }

  private Behavior<Command> onPublish(Publish publish) {
    if (waiting.size() >= settings.publishQueue()) {
      answer(publish, -1);
      return this;
    }
    waiting.add(publish);
    if (!inFlight) flush();
    return this;
  }

  private Behavior<Command> onFlushed(Flushed flushed) {
    inFlight = false;
    if (flushed.failure() != null) {
      getContext().getLog().warn("publishing {} messages to Redis failed: {}", flushed.batch().size(), flushed.failure().toString());
    }
    for (int i = 0; i < flushed.batch().size(); i++) {
      answer(flushed.batch().get(i), flushed.failure() == null ? flushed.receivers().get(i) : -1);
    }
    if (!waiting.isEmpty()) flush();
    return this;
  }

  private void flush() {
    List<Publish> batch = new ArrayList<>();
    while (!waiting.isEmpty() && batch.size() < settings.maxPublishBatch()) batch.add(waiting.poll());
    inFlight = true;
    getContext().pipeToSelf(redis.call(jedis -> {
      List<Response<Long>> responses = new ArrayList<>(batch.size());
      try (AbstractPipeline pipeline = jedis.pipelined()) {
        for (Publish publish : batch) {
          responses.add(pipeline.publish(publish.channel().getBytes(java.nio.charset.StandardCharsets.UTF_8), publish.message()));
        }
        pipeline.sync();
      }
      return responses.stream().map(Response::get).toList();
    }), (receivers, failure) -> new Flushed(batch, receivers, failure));
  }

  private static void answer(Publish publish, long receivers) {
    if (publish.replyTo() != null) publish.replyTo().tell(new Published(publish.token(), receivers));
  }
}
