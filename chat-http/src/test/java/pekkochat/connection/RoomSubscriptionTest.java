package pekkochat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import pekkochat.room.EncodedEvent;

class RoomSubscriptionTest {
  private final List<Long> written = new ArrayList<>();
  private final RoomSubscription.Sink sink = e -> written.add(e.seq());

  private static EncodedEvent event(long seq) {
    return new EncodedEvent("r", seq, 0, "{\"seq\":" + seq + "}", null);
  }

  private static List<EncodedEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(RoomSubscriptionTest::event).toList();
  }

  @Test
  void liveEventsDuringTheCatchUpAreHeldThenWrittenOnceInOrder() {
    RoomSubscription s = new RoomSubscription("r", "j", 100);
    // live events race the join answer: some the catch-up also has, some after it
    s.live(event(9), sink);
    s.live(event(10), sink);
    assertTrue(s.joined(6));
    s.live(event(11), sink);
    s.catchUp(events(6, 8), false, sink);
    assertEquals(List.of(), written, "nothing before the joined frame");
    s.announced(sink);
    s.live(event(12), sink);
    s.catchUp(events(9, 10), true, sink);
    s.live(event(12), sink);
    s.live(event(13), sink);
    assertEquals(LongStream.rangeClosed(6, 13).boxed().toList(), written);
  }

  @Test
  void aHoleInLiveSeqsAsksForAResubscriptionFromTheLastWritten() {
    RoomSubscription s = new RoomSubscription("r", "j", 100);
    s.joined(1);
    s.announced(sink);
    s.catchUp(events(1, 3), true, sink);
    assertEquals(RoomSubscription.Outcome.GAP, s.live(event(5), sink));
    assertEquals(3, s.delivered());
    s.resubscribing();
    assertFalse(s.joined(4), "a resubscription without skipped events is not announced again");
    s.catchUp(events(4, 5), true, sink);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), written);
  }

  @Test
  void aResubscriptionThatSkippedEventsIsAnnouncedSoTheClientPages() {
    RoomSubscription s = new RoomSubscription("r", "j", 100);
    s.joined(1);
    s.announced(sink);
    s.catchUp(events(1, 2), true, sink);
    s.resubscribing();
    assertTrue(s.joined(500));
    assertEquals(499, s.delivered());
  }

  @Test
  void holdingMoreThanTheBoundOverflows() {
    RoomSubscription s = new RoomSubscription("r", "j", 2);
    s.live(event(1), sink);
    s.live(event(2), sink);
    assertEquals(RoomSubscription.Outcome.OVERFLOW, s.live(event(3), sink));
  }

  @Test
  void aSocketThatTakesNoMoreOverflows() {
    RoomSubscription s = new RoomSubscription("r", "j", 10);
    s.joined(1);
    s.announced(sink);
    assertEquals(RoomSubscription.Outcome.OVERFLOW, s.catchUp(events(1, 2), true, e -> false));
  }
}
