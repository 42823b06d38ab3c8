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
  /** The relay's writes; refused while {@link #queueFull}. */
  private final List<Long> writtenDirect = new ArrayList<>();
  private boolean queueFull;
  private final RoomSubscription.Sink direct = e -> !queueFull && writtenDirect.add(e.seq());

  private static EncodedEvent event(long seq) {
    return new EncodedEvent("r", seq, 0, "{\"seq\":" + seq + "}", null);
  }

  private static List<EncodedEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(RoomSubscriptionTest::event).toList();
  }

  @Test
  void liveEventsDuringTheCatchUpAreHeldThenWrittenOnceInOrder() {
    RoomSubscription s = new RoomSubscription("r", "j", 100, direct);
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
    RoomSubscription s = new RoomSubscription("r", "j", 100, direct);
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
    RoomSubscription s = new RoomSubscription("r", "j", 100, direct);
    s.joined(1);
    s.announced(sink);
    s.catchUp(events(1, 2), true, sink);
    s.resubscribing();
    assertTrue(s.joined(500));
    assertEquals(499, s.delivered());
  }

  @Test
  void holdingMoreThanTheBoundOverflows() {
    RoomSubscription s = new RoomSubscription("r", "j", 2, direct);
    s.live(event(1), sink);
    s.live(event(2), sink);
    assertEquals(RoomSubscription.Outcome.OVERFLOW, s.live(event(3), sink));
  }

  @Test
  void aSocketThatTakesNoMoreOverflows() {
    RoomSubscription s = new RoomSubscription("r", "j", 10, direct);
    s.joined(1);
    s.announced(sink);
    assertEquals(RoomSubscription.Outcome.OVERFLOW, s.catchUp(events(1, 2), true, e -> false));
  }

  private RoomSubscription live(long firstSeq, long lastCaughtUp) {
    RoomSubscription s = new RoomSubscription("r", "j", 100, direct);
    s.joined(firstSeq);
    s.announced(sink);
    s.catchUp(events(firstSeq, lastCaughtUp), true, sink);
    return s;
  }

  @Test
  void theRelayWritesTheNextSeqsOfALiveSubscriptionItself() {
    RoomSubscription s = live(1, 3);
    assertTrue(s.offerLive(event(4)));
    assertTrue(s.offerLive(event(5)));
    assertTrue(s.offerLive(event(5)), "a seq written already is taken, and not written again");
    assertEquals(List.of(4L, 5L), writtenDirect);
    assertEquals(5, s.delivered());
    assertEquals(RoomSubscription.Outcome.OK, s.live(event(6), sink), "the actor's path goes on from there");
    assertEquals(List.of(1L, 2L, 3L, 6L), written);
  }

  @Test
  void theRelayLeavesToTheActorWhatIsNotPlainDelivery() {
    RoomSubscription joining = new RoomSubscription("r", "j", 100, direct);
    assertFalse(joining.offerLive(event(1)), "before the catch-up ends, events are held by the actor");

    RoomSubscription s = live(1, 3);
    assertFalse(s.offerLive(event(5)), "a gap");
    assertEquals(RoomSubscription.Outcome.GAP, s.live(event(5), sink), "which the actor sees as before");
    assertFalse(s.offerLive(new EncodedEvent("r", 4, 0, "{}", "bo")), "an event revoking a membership");
    queueFull = true;
    assertFalse(s.offerLive(event(4)), "a full queue: the actor closes the socket as slow_consumer");
    assertEquals(3, s.delivered(), "nothing refused counts as delivered");
    queueFull = false;
    s.stop();
    assertFalse(s.offerLive(event(4)), "a room left");
    assertEquals(List.of(), writtenDirect);
  }
}
