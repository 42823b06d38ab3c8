package pekkochat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pekkochat.testkit.node.ChatNodes;
import pekkochat.testkit.node.NodeProcess;
import pekkochat.testkit.rest.Rest;
import pekkochat.testkit.ws.WsClient;

/**
 * A room whose members do not fit one reply (here a 2 KiB budget, so that 150 members need several
 * parts): its {@code joined} frame still lists every member once, with their presence, and so does
 * {@code GET /api/rooms/{id}}.
 */
@Timeout(180)
class BigRoomJoinIT {
    private static final int MEMBERS = 150;

    @RegisterExtension
    final ChatNodes nodes = new ChatNodes();

    @Test
    void aJoinedFrameHoldsEveryMemberOfABigRoom() {
        NodeProcess node = nodes.start(NodeProcess.builder("big-room")
                .jvm("-Dchat.room.max-reply-bytes=2KiB").jvm("-Dchat.auth.bcrypt-cost=4")
                .jvm(NodeProcess.liftedRateLimit()));
        Rest rest = new Rest(node);
        Rest.User owner = rest.register("owner");
        String room = rest.createPublicRoom(owner).path("id").asText();
        Set<String> expected = new HashSet<>(Set.of(owner.name()));
        for (int i = 0; i < MEMBERS; i++) {
            Rest.User member = rest.register("m" + i);
            try (WsClient socket = WsClient.of(node, member)) {
                socket.join(room); // a public room makes the joiner a member
            }
            expected.add(member.name());
        }
        try (WsClient socket = WsClient.of(node, owner)) {
            JsonNode joined = socket.join(room);
            Set<String> listed = new HashSet<>();
            for (JsonNode member : joined.path("members")) {
                listed.add(member.path("user").asText());
                String presence = member.path("presence").asText();
                assertEquals(member.path("user").asText().equals(owner.name()) ? "online" : "offline", presence);
            }
            assertEquals(MEMBERS + 1, joined.path("members").size(), "each member once");
            assertEquals(expected, listed);
        }
        // REST: the room's view leaves so many members to the rooms directory, which lists them all
        JsonNode view = rest.getRoom(owner, room).expect(200).json();
        Set<String> viaRest = new HashSet<>();
        for (JsonNode member : view.path("members")) viaRest.add(member.path("user").asText());
        assertEquals(MEMBERS + 1, view.path("members").size());
        assertEquals(expected, viaRest);
    }
}
