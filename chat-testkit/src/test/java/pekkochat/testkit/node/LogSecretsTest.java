package pekkochat.testkit.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSecretsTest {
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLW9mLWEtbGVhaw";
    private static final String TICKET = "tkt_Zm9vYmFyYmF6cXV4cXV1eA";
    private static final String PASSWORD = "leaky horse 42!";

    static {
        LogSecrets.rememberToken(JWT);
        LogSecrets.rememberToken(TICKET);
        LogSecrets.rememberPassword(PASSWORD);
    }

    @Test
    void findsASecretWhereverALogLinePutsIt() {
        for (String line : List.of(
                "msg=\"GET /ws?token=" + JWT + " refused\"",
                "Authorization: Bearer " + JWT + ".",
                "ticket=" + TICKET + "&x=1",
                "path=/api/invites/" + TICKET + "/accept",
                "msg=\"login of alice with " + PASSWORD + "\"")) {
            String kind = LogSecrets.secretIn(line);
            assertEquals(line.contains(PASSWORD) ? "password" : "token, ticket or invite code", kind, line);
        }
    }

    @Test
    void cleanLinesAndOtherWordsAreNoFinding() {
        assertNull(LogSecrets.secretIn("ts=2026 level=INFO msg=\"registered user alice\""));
        assertNull(LogSecrets.secretIn("tkt_Zm9vYmFyYmF6cXV4cXV1 is a prefix of a ticket, not the ticket"));
    }

    @Test
    void aScanNamesTheLineAndNotTheSecret(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("node.log");
        Files.writeString(log, "clean line\nticket=" + TICKET + "\nclean again\n");
        List<String> found = LogSecrets.findIn(log);
        assertEquals(List.of("node.log:2 holds a token, ticket or invite code"), found);
        assertEquals(List.of(), LogSecrets.findIn(dir.resolve("absent.log")));
    }
}
