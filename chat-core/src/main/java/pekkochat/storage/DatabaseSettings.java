package pekkochat.storage;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the chat tables and the event journal live. The node hands the same settings to
 * pekko-persistence-jdbc's shared slick database, so the journal and {@link Database}'s pool
 * reach one database.
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {

  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  private static final String H2_PREFIX = "jdbc:h2:";
  /**
   * Lower-case names, as persistence-jdbc's schema quotes them; and WRITE_DELAY=0 so that a commit
   * is written to the file before it returns. H2's default writes commits up to 500 ms later, and a
   * killed node then loses events it had acknowledged (PROTOCOL.md section 2, guarantee 2).
   */
  private static final String H2_OPTIONS = ";DATABASE_TO_UPPER=false;WRITE_DELAY=0";
  /**
   * H2's asynchronous-channel file system: with WRITE_DELAY=0 a commit writes on the caller's
   * thread, and a plain NIO channel closes (taking the database down) if that thread is interrupted,
   * as pool threads are when they shut down.
   */
  private static final String H2_FILE_SYSTEM = "async:";
  private static final String H2_DEFAULT_USER = "sa";
  private static final String MASK = "***";
  private static final java.util.regex.Pattern USER_INFO_PASSWORD =
      java.util.regex.Pattern.compile("(//[^/@:?;]*:)[^/@?;]*@");
  private static final java.util.regex.Pattern PASSWORD_PARAMETER =
      java.util.regex.Pattern.compile("(?i)([?&;][a-z]*(?:password|passwd|pwd)=)[^&;]*");

  public DatabaseSettings {
    if (!url.startsWith(POSTGRES_PREFIX) && !url.startsWith(H2_PREFIX)) {
      throw new IllegalArgumentException("only H2 and PostgreSQL JDBC URLs are supported");
    }
    if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1");
  }

  /**
   * An empty {@code url} means the embedded default: an H2 file database under {@code dataDir},
   * as user {@code sa} whatever {@code user} says (that belongs with a URL; the file must open
   * with the user it was created with). H2 must keep lower-case names as written, since the
   * journal schema quotes them.
   */
  public static DatabaseSettings resolve(
      String url, String user, String password, Path dataDir, int poolSize) {
    if (url == null || url.isBlank()) {
      Path file = dataDir.toAbsolutePath().normalize().resolve("chat");
      return new DatabaseSettings(
          H2_PREFIX + H2_FILE_SYSTEM + file + H2_OPTIONS, H2_DEFAULT_USER, "", poolSize);
    }
    return new DatabaseSettings(url, user == null ? "" : user, password == null ? "" : password, poolSize);
  }

  public boolean isPostgres() {
    return url.startsWith(POSTGRES_PREFIX);
  }

  /** The slick profile for pekko-persistence-jdbc's {@code shared-databases.slick.profile}. */
  public String slickProfile() {
    return isPostgres() ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$";
  }

  public String driverClass() {
    return isPostgres() ? "org.postgresql.Driver" : "org.h2.Driver";
  }

  /**
   * The connection of pekko-persistence-jdbc's shared slick database ({@code profile}, {@code
   * db.url}, {@code db.driver}, {@code db.user}, {@code db.password}), to lay over the node's
   * config so the journal lands in the database {@link Database#open} migrated.
   */
  public Config journalConnectionConfig() {
    String slick = "pekko-persistence-jdbc.shared-databases.slick.";
    return ConfigFactory.parseMap(
        Map.of(
            slick + "profile", slickProfile(),
            slick + "db.url", url,
            slick + "db.driver", driverClass(),
            slick + "db.user", user,
            slick + "db.password", password));
  }

  /**
   * Flyway migrations of this vendor (the journal DDL differs between H2 and PostgreSQL), and
   * those written in SQL both accept, kept once in {@code common}.
   */
  String[] migrationLocations() {
    String vendor = isPostgres() ? "classpath:db/migration/postgresql" : "classpath:db/migration/h2";
    return new String[] {vendor, "classpath:db/migration/common"};
  }

  /**
   * The URL with any password in it masked: user info ({@code //user:secret@host}) and password
   * parameters ({@code ?password=}, {@code &sslpassword=}, H2's {@code ;PASSWORD=}), whatever their
   * case. For logs; the node connects with {@link #url}.
   */
  public String redactedUrl() {
    return PASSWORD_PARAMETER.matcher(USER_INFO_PASSWORD.matcher(url).replaceAll("$1" + MASK + "@"))
        .replaceAll("$1" + MASK);
  }

  /** Never print the password, e.g. when the settings end up in a log line. */
  @Override
  public String toString() {
    return "DatabaseSettings[url=" + redactedUrl() + ", user=" + user + ", poolSize=" + poolSize + "]";
  }
}
