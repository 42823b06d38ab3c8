package pekkochat.testkit.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to start a {@link NodeProcess}: its name (log file), environment and JVM options. */
public final class NodeSpec {
    final String name;
    final Map<String, String> env = new LinkedHashMap<>();
    final List<String> jvmOptions = new ArrayList<>();
    int clusterPort;
    String namespace;
    String host = "127.0.0.1";

    NodeSpec(String name) {
        this.name = name;
    }

    /** A PROTOCOL.md §1 variable; it wins over the launcher's own (ports, data dir, JWT secret). */
    public NodeSpec env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** A {@code -Dchat.x=y} option (or any JVM option). */
    public NodeSpec jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    public NodeSpec jvm(List<String> options) {
        jvmOptions.addAll(options);
        return this;
    }

    /** Journal and tables in this PostgreSQL database instead of the embedded H2 file. */
    public NodeSpec postgres(TestDatabase db) {
        return env("CHAT_DB_URL", db.url()).env("CHAT_DB_USER", TestDatabase.USER);
    }

    /**
     * Bridged mode: {@code CHAT_REDIS_URL}, and the namespace of the node's Redis keys and channels.
     * Nodes given the same namespace bridge each other; a test run's own keeps it apart from other
     * runs on the same Redis server, with nothing to flush afterwards.
     */
    public NodeSpec bridged(String redisUrl, String namespace) {
        return env("CHAT_REDIS_URL", redisUrl).jvm("-Dchat.redis.namespace=" + namespace);
    }

    /** This Pekko remoting port instead of a free one, e.g. a seed's port chosen before it starts. */
    public NodeSpec clusterPort(int port) {
        this.clusterPort = port;
        return this;
    }

    /** {@code CHAT_CLUSTER_SEEDS}: the comma list of {@code host:port} seeds whose cluster to join. */
    public NodeSpec seeds(String hostPorts) {
        return env("CHAT_CLUSTER_SEEDS", hostPorts);
    }

    /** Runs the node in a {@link TestNetwork} host's namespace, on its address {@code host}. */
    public NodeSpec inNamespace(String namespace, String host) {
        this.namespace = namespace;
        this.host = host;
        return this;
    }

    /** Starts the process and returns at once: for a node that is expected to refuse to start. */
    public NodeProcess launch() {
        NodeProcess node = new NodeProcess(this);
        node.launch();
        return node;
    }

    /** Starts the node and waits until {@code /readyz} answers 200; a node that fails to start is killed. */
    public NodeProcess start() {
        NodeProcess node = new NodeProcess(this);
        try {
            node.restart();
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
        return node;
    }
}
