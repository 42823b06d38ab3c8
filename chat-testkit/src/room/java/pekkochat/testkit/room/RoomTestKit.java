package pekkochat.testkit.room;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.SerializationSettings;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import pekkochat.room.EventEncoder;
import pekkochat.room.RoomSettings;
import pekkochat.room.SequencedEvent;

/**
 * What a test needs to run a {@code RoomActor} under Pekko's {@link EventSourcedBehaviorTestKit}: the
 * actor-system config, the serialization check, small bounds, and an encoder whose text names the event.
 * The in-memory ports beside it ({@link InMemoryRoomIndex}, {@link InMemoryRoomStores}) stand in for
 * storage, which has its own tests.
 */
public final class RoomTestKit {
  private RoomTestKit() {}

  /** Wire text stand-in: enough to see which event a client would get. */
  public static final EventEncoder ENCODER = new EventEncoder() {
    @Override
    public String encode(SequencedEvent e) {
      return e.room() + "#" + e.seq() + ":" + e.event().getClass().getSimpleName();
    }

    @Override
    public String typing(String room, String user) {
      return "typing:" + room + ":" + user;
    }

    @Override
    public String read(String room, String user, long seq) {
      return "read:" + room + ":" + user + ":" + seq;
    }
  };

  /**
   * The node's serialization bindings (CBOR for every message and event, as between nodes and in the
   * journal) on a local actor system: lay it over a journal's config to run a room on a real database.
   */
  public static final Config SERIALIZATION = ConfigFactory.parseString(
      "pekko.actor.serialization-bindings { \"pekkochat.common.CborSerializable\" = jackson-cbor }\n"
          + "pekko.actor.provider = local\n"
          + "pekko.loglevel = INFO");

  /** The config of an {@code ActorTestKit} for rooms under {@link EventSourcedBehaviorTestKit} (in-memory journal). */
  public static Config config() {
    return EventSourcedBehaviorTestKit.config().withFallback(SERIALIZATION);
  }

  /**
   * Every command, reply and event goes through CBOR as it would between nodes. The state leaves the
   * actor only as a {@code RoomSnapshot}, which recovery tests exercise, so it is not checked itself.
   */
  public static SerializationSettings serializationSettings() {
    return EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false);
  }

  /** Room for the small tests' pages and catch-ups; ReplyBudgetTest checks the cutting itself. */
  public static final int SMALL_REPLY_BYTES = 4096;

  /**
   * Sends with {@code send} until {@code probe} gets an answer (at most 10 s): a room that backs off
   * after a journal failure may drop what arrives meanwhile, and its callers retry, as sockets do.
   */
  public static <T> T retryUntilAnswered(TestProbe<T> probe, Runnable send) {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    while (true) {
      send.run();
      try {
        return probe.receiveMessage(RETRY_EVERY);
      } catch (AssertionError noAnswerYet) {
        if (System.nanoTime() > deadline) throw noAnswerYet;
      }
    }
  }

  private static final Duration RETRY_FOR = Duration.ofSeconds(10);
  private static final Duration RETRY_EVERY = Duration.ofMillis(300);

  /** Small bounds so that tests reach them. */
  public static RoomSettings small() {
    return new RoomSettings(
        10, 3, 5, 10, SMALL_REPLY_BYTES, 5, 8, 5, 2, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7),
        Duration.ofDays(30), Duration.ofMillis(100), 64, Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1));
  }
}
