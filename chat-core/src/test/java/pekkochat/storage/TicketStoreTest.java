package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pekkochat.storage.TestDatabases.await;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pekkochat.storage.TestDatabases.Backend;
import pekkochat.storage.TestDatabases.TestDatabase;

class TicketStoreTest {

  private static final long NOW = System.currentTimeMillis();
  private static final long TTL = 30_000;
  private static final long CREDENTIAL_EXPIRY = NOW + 86_400_000;
  private static final int RACED_TICKETS = 20;

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aTicketIsRedeemedOnce(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      TicketStore tickets = new TicketStore(test.database(), Duration.ofMinutes(1));
      await(tickets.issue("hash-1", "alice", NOW + TTL, CREDENTIAL_EXPIRY));

      assertEquals(
          Optional.of(new TicketGrant("alice", CREDENTIAL_EXPIRY)), await(tickets.redeem("hash-1", NOW)));
      assertEquals(Optional.empty(), await(tickets.redeem("hash-1", NOW)));
      assertEquals(Optional.empty(), await(tickets.redeem("never-issued", NOW)));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void anExpiredTicketIsRefusedAndUsedUp(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      TicketStore tickets = new TicketStore(test.database(), Duration.ofMinutes(1));
      await(tickets.issue("hash-1", "alice", NOW + TTL, CREDENTIAL_EXPIRY));

      assertEquals(Optional.empty(), await(tickets.redeem("hash-1", NOW + TTL)));
      assertEquals(0, rows(test.database()));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void twoConcurrentRedeemsOfOneTicketHaveOneWinner(Backend backend, @TempDir Path dir)
      throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      // two stores on two pools: two nodes sharing one database
      TicketStore nodeA = new TicketStore(test.database(), Duration.ofMinutes(1));
      try (Database secondPool = Database.open(test.settings())) {
        TicketStore nodeB = new TicketStore(secondPool, Duration.ofMinutes(1));
        for (int i = 0; i < RACED_TICKETS; i++) {
          String hash = "hash-" + i;
          await(nodeA.issue(hash, "alice", NOW + TTL, CREDENTIAL_EXPIRY));
          CompletionStage<Optional<TicketGrant>> a = nodeA.redeem(hash, NOW);
          CompletionStage<Optional<TicketGrant>> b = nodeB.redeem(hash, NOW);
          int winners = (await(a).isPresent() ? 1 : 0) + (await(b).isPresent() ? 1 : 0);
          assertEquals(1, winners, "ticket " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void issuingPurgesExpiredTickets(Backend backend, @TempDir Path dir) throws Exception {
    try (TestDatabase test = backend.create(dir)) {
      TicketStore tickets = new TicketStore(test.database(), Duration.ZERO);
      await(tickets.issue("expired", "alice", NOW - 1, CREDENTIAL_EXPIRY));
      await(tickets.issue("fresh", "alice", System.currentTimeMillis() + TTL, CREDENTIAL_EXPIRY));

      assertEquals(1, rows(test.database()));
      assertEquals("alice", await(tickets.redeem("fresh", NOW)).orElseThrow().username());
    }
  }

  private static int rows(Database database) throws Exception {
    return await(
        database.withConnection(
            connection -> {
              try (Statement select = connection.createStatement();
                  ResultSet rows = select.executeQuery("SELECT COUNT(*) FROM ws_tickets")) {
                rows.next();
                return rows.getInt(1);
              }
            }));
  }
}
