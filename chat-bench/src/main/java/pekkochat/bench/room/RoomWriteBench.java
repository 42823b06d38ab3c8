package pekkochat.bench.room;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import pekkochat.node.NodeConfig;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomMetrics;
import pekkochat.room.RoomSettings;
import pekkochat.room.Visibility;
import pekkochat.storage.Database;
import pekkochat.storage.DirectoryRoomIndex;
import pekkochat.storage.InviteStore;
import pekkochat.storage.JournalHistory;
import pekkochat.storage.ReadMarkStore;
import pekkochat.storage.RoomDirectory;
import pekkochat.wire.ServerFrames;

/**
 * One room's write path in process, without sockets, so that fan-out does not dominate: a
 * {@link RoomActor} on the real journal (embedded H2, or PostgreSQL), driven by {@code senders}
 * closed-loop senders (each sends its next message when its last one is acked). Prints acked
 * sends per second, ack latency and events per journal write, per round and their medians.
 *
 * <pre>java -cp chat-bench/target/chat-bench.jar pekkochat.bench.room.RoomWriteBench [h2|postgres] [senders] [seconds] [rounds]</pre>
 */
public final class RoomWriteBench {
  private static final String POSTGRES_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final int WARMUP_SECONDS = 2;

  private RoomWriteBench() {}

  public static void main(String[] args) throws Exception {
    String backend = args.length > 0 ? args[0] : "h2";
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<RoundResult> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      RoundResult r = runRound(backend, senders, seconds, round);
      results.add(r);
      System.out.println(r.json());
    }
    System.out.printf(Locale.ROOT, "%nroom write path, %s, %d senders, %d s x %d rounds (median of rounds)%n",
        backend, senders, seconds, rounds);
    System.out.printf(Locale.ROOT, "  acked sends/s  %10.0f%n", median(results.stream().mapToDouble(RoundResult::ackedPerSecond).toArray()));
    System.out.printf(Locale.ROOT, "  ack p50 ms     %10.2f%n", median(results.stream().mapToDouble(RoundResult::p50Millis).toArray()));
    System.out.printf(Locale.ROOT, "  ack p99 ms     %10.2f%n", median(results.stream().mapToDouble(RoundResult::p99Millis).toArray()));
    System.out.printf(Locale.ROOT, "  events/write   %10.1f%n", median(results.stream().mapToDouble(RoundResult::eventsPerWrite).toArray()));
  }

  private static RoundResult runRound(String backend, int senders, int seconds, int round) throws Exception {
    Path dataDir = Files.createTempDirectory("room-write-bench");
    String database = "room_write_bench_" + ProcessHandle.current().pid() + "_" + round;
    String url = "";
    if (backend.equals("postgres")) {
      try (var c = DriverManager.getConnection(POSTGRES_ADMIN, "postgres", "")) {
        c.createStatement().execute("CREATE DATABASE " + database);
      }
      url = "jdbc:postgresql://127.0.0.1:5432/" + database;
    }
    Config overrides = ConfigFactory.parseMap(Map.of(
        "chat.data-dir", dataDir.toString(), "chat.db.url", url, "chat.db.user", backend.equals("postgres") ? "postgres" : "",
        "pekko.actor.provider", "local", "pekko.loglevel", "WARNING", "pekko.coordinated-shutdown.exit-jvm", "off"));
    NodeConfig node = NodeConfig.from(overrides.withFallback(ConfigFactory.load()));
    Database db = Database.open(node.database());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "room-write-bench", node.config());
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RoomDirectory directory = new RoomDirectory(db);
      var deps = new RoomActor.Dependencies(
          RoomSettings.fromConfig(node.chat().getConfig("room")), new ServerFrames(new com.fasterxml.jackson.core.JsonFactory()),
          new DirectoryRoomIndex(directory), new JournalHistory(system), new ReadMarkStore(db), new InviteStore(db),
          new RoomMetrics(registry));
      ActorRef<RoomActor.Command> room = system.systemActorOf(
          RoomActor.create("bench", system.systemActorOf(Behaviors.ignore(), "shard", org.apache.pekko.actor.typed.Props.empty()), deps),
          "room", org.apache.pekko.actor.typed.Props.empty());
      AskPattern.<RoomActor.Command, RoomActor.CreateReply>ask(room,
              r -> new RoomActor.Create("bench", Visibility.PUBLIC, "owner", r), java.time.Duration.ofSeconds(30), system.scheduler())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      // every sender is a member: the room refuses sends of non-members
      SenderFleet.admitAll(system, room, senders);
      CompletableFuture<SenderFleet.Result> done = new CompletableFuture<>();
      system.systemActorOf(SenderFleet.create(room, senders, WARMUP_SECONDS, seconds, registry, done), "senders",
          org.apache.pekko.actor.typed.Props.empty());
      SenderFleet.Result r = done.get(WARMUP_SECONDS + seconds + 60, TimeUnit.SECONDS);
      return new RoundResult(backend, senders, round, r.acked() / (double) seconds, r.p50Millis(), r.p99Millis(), r.eventsPerWrite());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      db.close();
      if (backend.equals("postgres")) {
        try (var c = DriverManager.getConnection(POSTGRES_ADMIN, "postgres", "")) {
          c.createStatement().execute("DROP DATABASE IF EXISTS " + database);
        }
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  record RoundResult(String backend, int senders, int round, double ackedPerSecond, double p50Millis, double p99Millis,
      double eventsPerWrite) {
    String json() {
      return String.format(Locale.ROOT,
          "{\"bench\":\"room-write\",\"backend\":\"%s\",\"senders\":%d,\"round\":%d,\"ackedPerSecond\":%.0f,"
              + "\"ackP50Ms\":%.2f,\"ackP99Ms\":%.2f,\"eventsPerWrite\":%.1f}",
          backend, senders, round, ackedPerSecond, p50Millis, p99Millis, eventsPerWrite);
    }
  }
}
