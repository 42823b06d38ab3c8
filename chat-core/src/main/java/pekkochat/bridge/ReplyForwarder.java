package pekkochat.bridge;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stands in, on a room's writer node, for the asker of a command another node forwarded: it
 * passes the room's replies to the asker's node and stops after the last one (or when none came
 * within the request timeout, when the asker has long had its own answer).
 */
final class ReplyForwarder {
  private record TimedOut() {}

  private ReplyForwarder() {}

  static Behavior<Object> create(
      String askerInbox, long requestId, BridgeCodec codec, ActorRef<RedisPublisher.Command> publisher, Duration timeout) {
    return Behaviors.setup(ctx -> {
      ctx.setReceiveTimeout(timeout, new TimedOut());
      return Behaviors.receive(Object.class)
          .onMessage(TimedOut.class, t -> Behaviors.stopped())
          .onAnyMessage(reply -> {
            publisher.tell(new RedisPublisher.Publish(askerInbox, codec.reply(requestId, reply), null, 0));
            return Unavailable.isFinal(reply) ? Behaviors.stopped() : Behaviors.same();
          })
          .build();
    });
  }
}
