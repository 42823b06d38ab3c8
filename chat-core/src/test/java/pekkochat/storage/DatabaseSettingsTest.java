package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void emptyUrlMeansEmbeddedH2UnderTheAbsoluteDataDir() {
    DatabaseSettings settings = DatabaseSettings.resolve("", "chat", "pw", Path.of("data"), 8);
    String expectedFile = Path.of("data").toAbsolutePath().normalize().resolve("chat").toString();
    assertEquals("jdbc:h2:async:" + expectedFile + ";DATABASE_TO_UPPER=false;WRITE_DELAY=0", settings.url());
    assertEquals("sa", settings.user());
    assertEquals("", settings.password());
    assertFalse(settings.isPostgres());
    assertEquals("slick.jdbc.H2Profile$", settings.slickProfile());
    assertEquals("org.h2.Driver", settings.driverClass());
    assertEquals(8, settings.poolSize());
  }

  @Test
  void postgresUrlIsKeptWithItsCredentials() {
    DatabaseSettings settings =
        DatabaseSettings.resolve("jdbc:postgresql://db:5432/chat", "chat", "pw", Path.of("x"), 4);
    assertEquals("jdbc:postgresql://db:5432/chat", settings.url());
    assertEquals("chat", settings.user());
    assertEquals("pw", settings.password());
    assertTrue(settings.isPostgres());
    assertEquals("slick.jdbc.PostgresProfile$", settings.slickProfile());
    assertEquals("org.postgresql.Driver", settings.driverClass());
  }

  @Test
  void journalConnectionMatchesThePool() {
    DatabaseSettings settings =
        DatabaseSettings.resolve("jdbc:postgresql://db/chat", "chat", "pw", Path.of("x"), 4);
    var slick = settings.journalConnectionConfig().getConfig("pekko-persistence-jdbc.shared-databases.slick");
    assertEquals("slick.jdbc.PostgresProfile$", slick.getString("profile"));
    assertEquals("jdbc:postgresql://db/chat", slick.getString("db.url"));
    assertEquals("org.postgresql.Driver", slick.getString("db.driver"));
    assertEquals("chat", slick.getString("db.user"));
    assertEquals("pw", slick.getString("db.password"));
  }

  @Test
  void passwordNeverShowsInToString() {
    DatabaseSettings settings =
        DatabaseSettings.resolve("jdbc:postgresql://db/chat", "chat", "s3cret-pw", Path.of("x"), 4);
    assertFalse(settings.toString().contains("s3cret-pw"));
  }

  @Test
  void otherVendorsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DatabaseSettings.resolve("jdbc:mysql://db/chat", "u", "p", Path.of("x"), 4));
  }
}
