package pekkochat.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pekkochat.bench.Processes;

/**
 * The server under load: a node this tool starts ({@code java -jar chat-node.jar}, free ports, a
 * fresh data directory, no flags), or one already running, given by URL and pid (a balancer in
 * front of a node: {@code --ws-url} the balancer, {@code --pid balancer=…,node=…}).
 */
final class Target implements AutoCloseable {

  /** Pekko HTTP's own connection cap of the node (65,536); above it the tool's node gets a higher one. */
  private static final int NODE_MAX_CONNECTIONS = 65_536;

  final InetSocketAddress rest;
  /** Where sockets connect: socket {@code g} goes to {@code ws.get(g % ws.size())}. */
  final List<InetSocketAddress> ws;
  final List<Proc> procs;
  final Path dir;
  private final Processes processes;

  private Target(InetSocketAddress rest, List<InetSocketAddress> ws, List<Proc> procs, Path dir, Processes processes) {
    this.rest = rest;
    this.ws = ws;
    this.procs = procs;
    this.dir = dir;
    this.processes = processes;
  }

  static Target open(Options o, Path dir, int sockets) throws Exception {
    if (o.attached()) {
      InetSocketAddress rest = address(o.str("url"));
      List<InetSocketAddress> ws = o.list("ws-url").isEmpty() ? List.of(rest)
          : o.list("ws-url").stream().map(Target::address).toList();
      List<Proc> procs = new ArrayList<>();
      for (String entry : o.list("pid")) {
        int eq = entry.indexOf('=');
        procs.add(eq < 0 ? new Proc(procs.isEmpty() ? "server" : "pid" + entry, Long.parseLong(entry))
            : new Proc(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1))));
      }
      if (procs.isEmpty()) throw new IllegalArgumentException("--url needs --pid (the server's process id, for /proc)");
      return new Target(rest, ws, procs, dir, null);
    }
    Processes processes = new Processes();
    // a stopped or interrupted tool (Ctrl-C, timeout) must not leave its node running
    Runtime.getRuntime().addShutdownHook(new Thread(processes::close));
    int port = Processes.freePort();
    Path data = Files.createDirectories(dir.resolve("node-data"));
    List<String> jvm = sockets > NODE_MAX_CONNECTIONS - 1000
        ? List.of("-Dpekko.http.server.max-connections=" + (sockets + 10_000))
        : List.of();
    try {
      Process node = processes.start(o.str("node-jar"), jvm,
          Map.of("CHAT_HTTP_PORT", Integer.toString(port), "CHAT_CLUSTER_PORT", Integer.toString(Processes.freePort()),
              "CHAT_DATA_DIR", data.toString()),
          dir.resolve("node.log"), "http://127.0.0.1:" + port + "/readyz");
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      return new Target(address, List.of(address), List.of(new Proc("server", node.pid())), dir, processes);
    } catch (Exception e) {
      processes.close();
      throw e;
    }
  }

  InetSocketAddress wsFor(int socket) {
    return ws.get(socket % ws.size());
  }

  Proc server() {
    return procs.get(0);
  }

  /** Refuses a run the open-files limits cannot hold, before it half-connects. */
  void checkFileLimits(int sockets) {
    long need = sockets + 1000L;
    for (Proc p : List.of(server(), Proc.self())) {
      long limit = p.maxOpenFiles();
      if (limit < need) {
        throw new IllegalStateException(String.format(
            "%s (pid %d) may open %d files, %d sockets need about %d: raise it (ulimit -n %d before starting it)",
            p.name(), p.pid(), limit, sockets, need, need + 1000));
      }
    }
  }

  boolean ready() {
    try {
      return new Rest(rest).get("/readyz") == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static InetSocketAddress address(String url) {
    URI uri = URI.create(url);
    return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
  }

  @Override
  public void close() {
    if (processes != null) processes.close();
  }
}
