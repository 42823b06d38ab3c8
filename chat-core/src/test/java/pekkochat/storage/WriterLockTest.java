package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's writer lock on a real PostgreSQL: one lone node, or any number of elected ones, never both. */
class WriterLockTest {

  @Test
  void aSecondLoneNodeIsRefusedUntilTheFirstIsGone() {
    try (TestDatabases.TestDatabase db = TestDatabases.postgres()) {
      WriterLock first = WriterLock.take(db.settings(), WriterLock.Mode.ALONE);
      assertThrows(WriterLock.Taken.class, () -> WriterLock.take(db.settings(), WriterLock.Mode.ALONE));
      assertThrows(WriterLock.Taken.class, () -> WriterLock.take(db.settings(), WriterLock.Mode.ELECTED),
          "a cluster or bridged node beside a lone one is refused too");
      first.close(); // as when its process ends
      WriterLock.take(db.settings(), WriterLock.Mode.ALONE).close();
    }
  }

  @Test
  void electedNodesShareItAndKeepALoneNodeOut() {
    try (TestDatabases.TestDatabase db = TestDatabases.postgres()) {
      WriterLock one = WriterLock.take(db.settings(), WriterLock.Mode.ELECTED);
      WriterLock two = WriterLock.take(db.settings(), WriterLock.Mode.ELECTED);
      assertThrows(WriterLock.Taken.class, () -> WriterLock.take(db.settings(), WriterLock.Mode.ALONE));
      one.close();
      two.close();
    }
  }

  @Test
  void anEmbeddedDatabaseNeedsNone(@TempDir Path dir) {
    try (TestDatabases.TestDatabase db = TestDatabases.h2(dir)) {
      assertNull(WriterLock.take(db.settings(), WriterLock.Mode.ALONE), "H2 locks its file to one process itself");
    }
  }
}
