package pekkochat.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pekkochat.storage.DatabaseSettings;
import pekkochat.storage.WriterLock;

/**
 * The node's effective configuration: application.conf with the environment of PROTOCOL.md
 * section 1 (already layered in by {@code ${?VAR}}), plus what follows from it: the journal's
 * database driver and profile, the cluster's seed nodes, the node's id.
 */
public record NodeConfig(
    Config config, DatabaseSettings database, Path dataDir, String nodeId, boolean joinsItself, boolean bridged) {
  /** The name of the actor system, part of every node's cluster address. */
  public static final String SYSTEM_NAME = "chat";

  public static NodeConfig load() {
    return from(ConfigFactory.load());
  }

  public static NodeConfig from(Config loaded) {
    Config chat = loaded.getConfig("chat");
    Path dataDir = Path.of(chat.getString("data-dir")).toAbsolutePath().normalize();
    DatabaseSettings database = DatabaseSettings.resolve(
        chat.getString("db.url"), chat.getString("db.user"), chat.getString("db.password"),
        dataDir, chat.getInt("db.pool-size"));
    String host = chat.getString("cluster.host");
    int port = chat.getInt("cluster.port");
    String nodeId = chat.getString("node-id").isBlank()
        ? chat.getString("http.host") + ":" + chat.getInt("http.port")
        : chat.getString("node-id");
    List<String> seeds = Arrays.stream(chat.getString("cluster.seeds").split(","))
        .map(String::trim).filter(s -> !s.isEmpty())
        .map(hostPort -> "pekko://" + SYSTEM_NAME + "@" + hostPort)
        .toList();

    boolean bridged = !chat.getString("redis.url").isBlank();
    if (bridged && !database.isPostgres()) {
      throw new Refused("CHAT_REDIS_URL is set but CHAT_DB_URL is not: bridged nodes must share one PostgreSQL "
          + "journal, or each would write its rooms to its own embedded H2 file and fork their sequences. "
          + "Set CHAT_DB_URL=jdbc:postgresql://host:5432/db (with CHAT_DB_USER and CHAT_DB_PASSWORD) on every node, "
          + "or unset CHAT_REDIS_URL to run one node alone.");
    }
    if (!seeds.isEmpty() && !database.isPostgres()) {
      throw new Refused("CHAT_CLUSTER_SEEDS is set but CHAT_DB_URL is not: the nodes of a cluster must share one "
          + "PostgreSQL journal, or each would write its rooms to its own embedded H2 file and fork their sequences. "
          + "Set CHAT_DB_URL=jdbc:postgresql://host:5432/db (with CHAT_DB_USER and CHAT_DB_PASSWORD) on every node, "
          + "or unset CHAT_CLUSTER_SEEDS to run one node alone.");
    }
    Map<String, Object> derived = new HashMap<>();
    derived.put("chat.node-id", nodeId);
    derived.put("chat.data-dir", dataDir.toString());
    Config effective = ConfigFactory.parseMap(derived)
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
        .withFallback(database.journalConnectionConfig())
        .withFallback(loaded)
        .resolve();
    return new NodeConfig(effective, database, dataDir, nodeId, seeds.isEmpty(), bridged);
  }

  /** A configuration the node refuses to start with; the message says what to set. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Alone, this node is every room's writer; in a cluster or a bridge its peers and it elect one
   * writer per room ({@link WriterLock} keeps the two kinds apart on one database).
   */
  public WriterLock.Mode writerMode() {
    return joinsItself && !bridged ? WriterLock.Mode.ALONE : WriterLock.Mode.ELECTED;
  }

  public Config chat() {
    return config.getConfig("chat");
  }
}
