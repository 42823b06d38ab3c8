package pekkochat.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import pekkochat.presence.PresenceEntry;
import pekkochat.presence.PresenceStatus;
import pekkochat.room.EncodedEvent;
import pekkochat.room.Refusal;
import pekkochat.room.RoomProtocol;

/** The bridge's Redis messages: commands and replies cross with local refs in place of the sender's, events whole. */
class BridgeCodecTest {
  private static final ActorTestKit kit = ActorTestKit.create();
  private final BridgeCodec codec = new BridgeCodec();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aForwardedCommandArrivesWithTheReceivingNodesRefs() {
    TestProbe<RoomProtocol.SendReply> asker = kit.createTestProbe();
    TestProbe<Object> forwarder = kit.createTestProbe();
    byte[] wire = codec.command("a/1", 7, "r1", new RoomProtocol.Send("ann", "c-1", "hi", asker.getRef()));

    BridgeCodec.CommandIn in = (BridgeCodec.CommandIn) codec.inbox(wire);
    assertEquals("a/1", in.from());
    assertEquals(7, in.id());
    assertEquals("r1", in.room());
    RoomProtocol.Send send = (RoomProtocol.Send) codec.command(in, forwarder.getRef(), kit.system().deadLetters());
    assertEquals(new RoomProtocol.Send("ann", "c-1", "hi", forwarder.getRef().unsafeUpcast()), send);
  }

  @Test
  void aJoinsRepliesCarryTheFollowersRefAndTheirParts() {
    TestProbe<Object> follower = kit.createTestProbe();
    RoomProtocol.Joined joined = new RoomProtocol.Joined("r1", 5, 3,
        List.of(new RoomProtocol.MemberView("ann", pekkochat.room.Role.OWNER)), Map.of("ann", 4L),
        kit.createTestProbe(RoomProtocol.Command.class).getRef(), true);
    Object read = codec.reply((BridgeCodec.ReplyIn) codec.inbox(codec.reply(9, joined)), follower.getRef());
    RoomProtocol.Joined back = (RoomProtocol.Joined) read;
    assertEquals(joined.members(), back.members());
    assertEquals(joined.reads(), back.reads());
    assertSame(follower.getRef(), (Object) back.roomActor());

    EncodedEvent event = new EncodedEvent("r1", 4, 0, "{\"type\":\"message\",\"seq\":4}", null);
    RoomProtocol.CatchUp catchUp = new RoomProtocol.CatchUp("r1", List.of(event), true);
    assertEquals(catchUp, codec.reply((BridgeCodec.ReplyIn) codec.inbox(codec.reply(9, catchUp)), follower.getRef()));
    RoomProtocol.Rejected rejected = new RoomProtocol.Rejected(Refusal.UNAVAILABLE, "later");
    assertEquals(rejected, codec.reply((BridgeCodec.ReplyIn) codec.inbox(codec.reply(9, rejected)), follower.getRef()));
  }

  @Test
  void eventsEphemeralsAndPresenceCrossWhole() {
    EncodedEvent event = new EncodedEvent("r1", 12, 123456789L, "{\"type\":\"member\",\"seq\":12}", "bob");
    BridgeCodec.ChannelEvent read = (BridgeCodec.ChannelEvent) codec.channel("r1", codec.event("a/1", event));
    assertEquals("a/1", read.origin());
    assertEquals(event, read.event());
    assertEquals(event.utf8(), read.event().utf8(), "the bytes every socket writes are made once, on arrival");

    assertEquals(new BridgeCodec.ChannelEphemeral("a/1", "{\"type\":\"typing\"}", "ann"),
        codec.channel("r1", codec.ephemeral("a/1", "{\"type\":\"typing\"}", "ann")));
    assertEquals(new BridgeCodec.ChannelReset("a/1"), codec.channel("r1", codec.reset("a/1")));

    PresenceEntry away = new PresenceEntry(PresenceStatus.AWAY, 42L);
    assertEquals(new BridgeCodec.PresenceChange("a/1", "ann", away), codec.presence(codec.presence("a/1", "ann", away)));
    assertEquals(new BridgeCodec.PresenceChange("a/1", "ann", null), codec.presence(codec.presence("a/1", "ann", null)));
    assertEquals(new BridgeCodec.NodeLeft("a/1"), codec.presence(codec.nodeLeft("a/1")));
  }

  @Test
  void onlyTheRoomProtocolsOwnTypesAreRead() {
    byte[] forged = "{\"k\":\"c\",\"from\":\"x\",\"id\":1,\"room\":\"r\",\"t\":\"ProcessBuilder\",\"b\":{}}".getBytes();
    assertThrows(IllegalArgumentException.class, () -> codec.inbox(forged));
  }
}
