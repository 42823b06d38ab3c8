package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.room.Visibility;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

/**
 * The migrated schema is the one pekko-persistence-jdbc expects: a real event-sourced actor
 * writes events and snapshots through the plugin, recovers them in a new actor system, and the
 * rooms directory reads its head from those rows.
 */
class JournalSchemaTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int SNAPSHOT_EVERY = 2;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void thePluginWritesRecoversAndTheDirectoryReadsTheHead(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      RoomDirectory rooms = new RoomDirectory(test.database());
      await(rooms.upsertRoom(new RoomRecord("r1", "One", Visibility.PUBLIC, "alice", 1L)));

      ActorTestKit first = ActorTestKit.create("journal-first", TestDatabases.journalConfig(test.settings()));
      try {
        ActorRef<Command> room = first.spawn(Log.create("Room|r1"));
        TestProbe<Done> acks = first.createTestProbe();
        for (String text : List.of("a", "b", "c")) {
          room.tell(new Append(text, acks.getRef()));
          acks.expectMessage(TIMEOUT, Done.getInstance());
        }
      } finally {
        first.shutdownTestKit();
      }
      assertEquals(3L, await(rooms.find("r1", "alice")).orElseThrow().seq());
      assertTrue(snapshotRows(test.database()) > 0, "snapshots go to the snapshot table");

      ActorTestKit second = ActorTestKit.create("journal-second", TestDatabases.journalConfig(test.settings()));
      try {
        ActorRef<Command> room = second.spawn(Log.create("Room|r1"));
        TestProbe<String> states = second.createTestProbe();
        room.tell(new Get(states.getRef()));
        assertEquals("abc", states.receiveMessage(TIMEOUT));
        TestProbe<Done> acks = second.createTestProbe();
        room.tell(new Append("d", acks.getRef()));
        acks.expectMessage(TIMEOUT, Done.getInstance());
      } finally {
        second.shutdownTestKit();
      }
      assertEquals(4L, await(rooms.listVisibleTo("bob")).get(0).seq());
    }
  }

  private static int snapshotRows(Database database) throws Exception {
    return await(
        database.withConnection(
            connection -> {
              try (Statement select = connection.createStatement();
                  ResultSet rows = select.executeQuery("SELECT COUNT(*) FROM snapshot")) {
                rows.next();
                return rows.getInt(1);
              }
            }));
  }

  interface Command {}

  record Append(String text, ActorRef<Done> replyTo) implements Command {}

  record Get(ActorRef<String> replyTo) implements Command {}

  /**
   * Appends strings to a string: Pekko serializes both events and snapshots with its built-in
   * String serializer, so the test needs no serialization setup.
   */
  static final class Log extends EventSourcedBehavior<Command, String, String> {

    private Log(PersistenceId id) {
      super(id);
    }

    static Behavior<Command> create(String persistenceId) {
      return new Log(PersistenceId.ofUniqueId(persistenceId));
    }

    @Override
    public String emptyState() {
      return "";
    }

    @Override
    public CommandHandler<Command, String, String> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Append.class,
              append ->
                  Effect().persist(append.text()).thenReply(append.replyTo(), state -> Done.getInstance()))
          .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
          .build();
    }

    @Override
    public EventHandler<String, String> eventHandler() {
      return newEventHandlerBuilder()
          .forAnyState()
          .onAnyEvent((state, event) -> state + event);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 1);
    }
  }
}
