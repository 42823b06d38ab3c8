package pekkochat.storage;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import pekkochat.room.HistoryReader;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomEvent;
import pekkochat.room.SequencedEvent;

/**
 * Old history pages, read straight from the journal: a room's journal sequence number is its
 * seq, so a page is one range read of one persistence id.
 */
public final class JournalHistory implements HistoryReader {
  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public JournalHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal =
        PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  @Override
  public CompletionStage<List<SequencedEvent>> read(String roomId, long fromSeq, long toSeq) {
    String persistenceId = RoomActor.persistenceId(roomId).id();
    return journal
        .currentEventsByPersistenceId(persistenceId, fromSeq, toSeq)
        .map(envelope -> new SequencedEvent(roomId, envelope.sequenceNr(), (RoomEvent) envelope.event()))
        .runWith(Sink.seq(), system);
  }
}
