package pekkochat.room;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Where a room keeps its members' read marks: outside its journal, whose seqs are the timeline's. */
public interface ReadMarks {
  CompletionStage<Map<String, Long>> marks(String roomId);

  /** Moves the mark forward only. */
  CompletionStage<Void> advance(String roomId, String user, long seq);
}
