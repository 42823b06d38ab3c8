package pekkochat.room;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Reads a room's timeline events from the journal, for pages older than the room's window. */
@FunctionalInterface
public interface HistoryReader {
  /** Events with {@code fromSeq <= seq <= toSeq}, ascending. */
  CompletionStage<List<SequencedEvent>> read(String roomId, long fromSeq, long toSeq);
}
