package pekkochat.room;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import pekkochat.room.EventEncoder;

/** Settings and configuration shared by the room tests. */
final class RoomTestConfig {
  private RoomTestConfig() {}

  /** Wire text stand-in: enough to see which event a client would get. */
  static final EventEncoder ENCODER = new EventEncoder() {
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

    @Override
    public String presence(String user, String status) {
      return "presence:" + user + ":" + status;
    }
  };

  static final Config SERIALIZATION = ConfigFactory.parseString(
      "pekko.actor.serialization-bindings { \"pekkochat.common.CborSerializable\" = jackson-cbor }\n"
          + "pekko.actor.provider = local\n"
          + "pekko.loglevel = INFO");

  /** Small bounds so that tests reach them. */
  static RoomSettings small() {
    return new RoomSettings(
        10, 3, 5, 10, 4, 5, 8, 5, 2, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7),
        Duration.ofDays(30), Duration.ofMillis(100), 64);
  }
}
