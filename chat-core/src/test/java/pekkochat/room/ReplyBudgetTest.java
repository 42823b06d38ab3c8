package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Replies between nodes are bounded by bytes (DESIGN.md rule 10), whatever the events' sizes. */
class ReplyBudgetTest {
  private static final int BUDGET = 128 * 1024;

  private static EncodedEvent event(long seq, int textChars) {
    return EncodedEvent.unstamped("room", seq, "{\"seq\":" + seq + ",\"text\":\"" + "é".repeat(textChars) + "\"}", null);
  }

  @Test
  void aCatchUpOfBigEventsComesInChunksUnderTheBudgetInOrderWithNothingLost() {
    List<EncodedEvent> events = IntStream.rangeClosed(1, 300).mapToObj(i -> event(i, 4000)).toList();
    List<List<EncodedEvent>> chunks = ReplyBudget.chunks(events, BUDGET);
    assertTrue(chunks.size() > 1);
    long expected = 1;
    for (List<EncodedEvent> chunk : chunks) {
      int bytes = chunk.stream().mapToInt(e -> e.utf8().size()).sum();
      assertTrue(bytes <= BUDGET, "chunk of " + bytes + " bytes");
      for (EncodedEvent e : chunk) assertEquals(expected++, e.seq());
    }
    assertEquals(301, expected);
  }

  @Test
  void smallEventsShareAChunkAndOneOverBudgetEventStillGoes() {
    assertEquals(1, ReplyBudget.chunks(IntStream.rangeClosed(1, 100).mapToObj(i -> event(i, 10)).toList(), BUDGET).size());
    assertEquals(List.of(List.of(event(1, 5000))), ReplyBudget.chunks(List.of(event(1, 5000)), 100));
    assertEquals(List.of(), ReplyBudget.chunks(List.of(), BUDGET));
  }

  @Test
  void aHistoryPageKeepsTheNewestEventsThatFitAscending() {
    List<String> page = IntStream.rangeClosed(1, 200).mapToObj(i -> event(i, 4000).json()).toList();
    List<String> fitting = ReplyBudget.newestFitting(page, BUDGET);
    assertTrue(fitting.size() < 200 && !fitting.isEmpty());
    assertEquals(page.get(199), fitting.get(fitting.size() - 1), "the newest event is kept");
    assertEquals(page.subList(200 - fitting.size(), 200), fitting, "a contiguous, ascending tail");
    assertTrue(fitting.stream().mapToInt(j -> j.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum() <= BUDGET);
    assertEquals(page.subList(199, 200), ReplyBudget.newestFitting(page, 10));
  }

  @Test
  void membersGoInPartsEachWithItsMembersReadMarks() {
    List<RoomProtocol.MemberView> members = IntStream.range(0, 5000)
        .mapToObj(i -> new RoomProtocol.MemberView("user-" + i, Role.MEMBER)).toList();
    java.util.Map<String, Long> reads = java.util.Map.of("user-1", 5L, "user-4999", 7L);
    List<ReplyBudget.MemberPart> parts = ReplyBudget.memberParts(members, reads, 16 * 1024);
    assertTrue(parts.size() > 5);
    java.util.Map<String, Long> allReads = new java.util.HashMap<>();
    int count = 0;
    for (ReplyBudget.MemberPart part : parts) {
      part.reads().forEach((user, seq) -> {
        assertTrue(part.members().stream().anyMatch(m -> m.user().equals(user)), "a mark travels with its member");
        allReads.put(user, seq);
      });
      count += part.members().size();
    }
    assertEquals(5000, count);
    assertEquals(reads, allReads);
    assertEquals(1, ReplyBudget.memberParts(List.of(), java.util.Map.of(), 100).size(), "an empty room still answers");
  }
}
