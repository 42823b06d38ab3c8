package pekkochat.bench.room;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import pekkochat.room.RoomActor;

/**
 * Closed-loop senders of one room, in one actor: each of {@code senders} keeps one send in flight
 * and sends its next when acked. After a warm-up it counts acks and their latency for the window.
 */
final class SenderFleet {
  record Result(long acked, double p50Millis, double p99Millis, double eventsPerWrite) {}

  private static final int MAX_SAMPLES = 2_000_000;
  private static final Duration ADMIT_TIMEOUT = Duration.ofSeconds(30);

  private SenderFleet() {}

  static String user(int sender) {
    return "sender" + sender;
  }

  /** Makes every sender a member of the public room (as a socket's join would). */
  static void admitAll(ActorSystem<?> system, ActorRef<RoomActor.Command> room, int senders) throws Exception {
    CompletableFuture<?>[] admitted = new CompletableFuture<?>[senders];
    for (int i = 0; i < senders; i++) {
      String user = user(i);
      admitted[i] = AskPattern.<RoomActor.Command, RoomActor.RoomReply>ask(
          room, r -> new RoomActor.Admit(user, r), ADMIT_TIMEOUT, system.scheduler()).toCompletableFuture();
    }
    CompletableFuture.allOf(admitted).get(ADMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private record Tick(boolean end) {}

  static Behavior<Object> create(
      ActorRef<RoomActor.Command> room, int senders, int warmupSeconds, int seconds, MeterRegistry registry,
      CompletableFuture<Result> done) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<RoomActor.SendReply> replies = ctx.messageAdapter(RoomActor.SendReply.class, r -> r);
      long[] sentAt = new long[senders];
      long[] counter = new long[senders];
      long[] latencies = new long[MAX_SAMPLES];
      long[] state = new long[4]; // measuring (0/1), acked, samples, writes at start
      for (int i = 0; i < senders; i++) send(room, replies, i, counter, sentAt);
      timers.startSingleTimer(new Tick(false), Duration.ofSeconds(warmupSeconds));
      return Behaviors.receiveMessage(msg -> {
        if (msg instanceof Tick tick && !tick.end()) {
          state[0] = 1;
          state[3] = registry.timer("chat.persist.latency").count();
          timers.startSingleTimer(new Tick(true), Duration.ofSeconds(seconds));
        } else if (msg instanceof Tick) {
          double writes = registry.timer("chat.persist.latency").count() - state[3];
          long[] sample = Arrays.copyOf(latencies, (int) state[2]);
          Arrays.sort(sample);
          done.complete(new Result(state[1], percentile(sample, 0.50), percentile(sample, 0.99),
              writes == 0 ? 0 : state[1] / writes));
          return Behaviors.stopped();
        } else if (msg instanceof RoomActor.Acked ack) {
          int sender = Integer.parseInt(ack.clientId().substring(0, ack.clientId().indexOf('-')));
          if (state[0] == 1) {
            state[1]++;
            if (state[2] < MAX_SAMPLES) latencies[(int) state[2]++] = System.nanoTime() - sentAt[sender];
          }
          send(room, replies, sender, counter, sentAt);
        } else if (msg instanceof RoomActor.Rejected rejected) {
          throw new IllegalStateException("a send was refused: " + rejected);
        }
        return Behaviors.same();
      });
    }));
  }

  private static void send(
      ActorRef<RoomActor.Command> room, ActorRef<RoomActor.SendReply> replies, int sender, long[] counter, long[] sentAt) {
    sentAt[sender] = System.nanoTime();
    room.tell(new RoomActor.Send(user(sender), sender + "-" + counter[sender]++, "a message of the write-path bench", replies));
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }
}
