package pekkochat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event's UTF-8 bytes are made once, stay off the wire between nodes, and are made again on arrival. */
class EncodedEventTest {
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("encoded", ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"pekkochat.common.CborSerializable\" = jackson-cbor }\n"
            + "pekko.actor.provider = local"));
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  @Test
  void bytesAreTheTextsUtf8AndSurviveARoundTripWithoutBeingSent() {
    String json = "{\"type\":\"message\",\"text\":\"h\u00e9llo \u2603 \uD83D\uDE00\"}";
    EncodedEvent event = new EncodedEvent("r", 7, 42, json, null);
    assertEquals(json, event.utf8().utf8String());
    assertEquals(json.getBytes(StandardCharsets.UTF_8).length, event.utf8().size());

    Serialization serialization = SerializationExtension.get(system);
    byte[] wire = serialization.serialize(event).get();
    String wireText = new String(wire, StandardCharsets.ISO_8859_1);
    assertFalse(wireText.contains("utf8"), "the bytes are not serialized");
    EncodedEvent back = (EncodedEvent) serialization.deserialize(
        wire, serialization.findSerializerFor(event).identifier(), Serializers.manifestFor(serialization.findSerializerFor(event), event)).get();
    assertEquals(event, back);
    assertEquals(event.utf8(), back.utf8());
  }
}
