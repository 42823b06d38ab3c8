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
    DatabaseSettings settings = DatabaseSettings.resolve("", "", "", Path.of("data"), 8);
    String expectedFile = Path.of("data").toAbsolutePath().normalize().resolve("chat").toString();
    assertEquals("jdbc:h2:file:" + expectedFile + ";DATABASE_TO_UPPER=false", settings.url());
    assertEquals("sa", settings.user());
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
