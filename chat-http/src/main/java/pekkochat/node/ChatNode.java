package pekkochat.node;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pekkochat.ops.Readiness;
import pekkochat.storage.Database;
import pekkochat.storage.WriterLock;

/** The chat node's entry point: {@code java -jar chat-node.jar}, configured by environment. */
public final class ChatNode {
  private static final Logger log = LoggerFactory.getLogger(ChatNode.class);

  /** The exit code of a node that refuses its configuration (sysexits' EX_CONFIG). */
  private static final int REFUSED_EXIT_CODE = 78;

  private ChatNode() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    NodeConfig node;
    try {
      node = NodeConfig.load();
    } catch (NodeConfig.Refused refused) {
      log.error("refusing to start: {}", refused.getMessage());
      System.exit(REFUSED_EXIT_CODE);
      return;
    }
    Files.createDirectories(node.dataDir());
    log.info("starting node {} on {} (data dir {})", node.nodeId(), node.database(), node.dataDir());
    // Migrations run before the actor system: the journal's tables must exist before a room recovers.
    Database database = Database.open(node.database(), node.chat().getDuration("db.connection-timeout"));
    WriterLock writerLock;
    try {
      writerLock = WriterLock.take(node.database(), node.writerMode());
    } catch (WriterLock.Taken taken) {
      log.error("refusing to start: {}", taken.getMessage());
      database.close();
      System.exit(REFUSED_EXIT_CODE);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", node.nodeId());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Readiness readiness = new Readiness();
    ActorSystem<NodeGuardian.Command> system = ActorSystem.create(
        NodeGuardian.create(node, database, writerLock, registry, readiness), NodeConfig.SYSTEM_NAME, node.config());
    HeapReturn.start(system, node.chat().getConfig("jvm"));
    system.getWhenTerminated().thenRun(() -> log.info("node {} stopped", node.nodeId()));
    log.info("node {} started its actor system in {} ms", node.nodeId(), (System.nanoTime() - started) / 1_000_000);
  }
}
