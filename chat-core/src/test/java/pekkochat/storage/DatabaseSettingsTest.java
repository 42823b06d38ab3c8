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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "jdbc:postgresql://127.0.0.1:5432/chat?user=chat&password=s3cret-pw&ssl=false",
      "jdbc:postgresql://127.0.0.1:5432/chat?PASSWORD=s3cret-pw",
      "jdbc:postgresql://127.0.0.1/chat?sslmode=require&sslpassword=s3cret-pw",
      "jdbc:postgresql://chat:s3cret-pw@db.example:5432/chat",
      "jdbc:h2:mem:chat;USER=sa;PASSWORD=s3cret-pw;DATABASE_TO_UPPER=false"})
  void aPasswordInTheUrlIsMaskedWhereverItSits(String url) {
    var settings = DatabaseSettings.resolve(url, "chat", "", Path.of("data"), 4);
    assertFalse(settings.redactedUrl().contains("s3cret-pw"), settings::redactedUrl);
    assertFalse(settings.toString().contains("s3cret-pw"), settings::toString);
    assertTrue(settings.redactedUrl().contains("***"), settings::redactedUrl);
    assertEquals(url, settings.url(), "the node still connects with the real URL");
  }

  @Test
  void aUrlWithoutAPasswordIsLoggedAsItIs() {
    String url = "jdbc:postgresql://127.0.0.1:5432/chat?ssl=false&user=chat";
    assertEquals(url, DatabaseSettings.resolve(url, "chat", "", Path.of("data"), 4).redactedUrl());
  }
}
