package pekkochat.bench.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags, {@code --name value} or {@code --name=value}. Scenario settings are
 * prefixed by the scenario's letter ({@code --a.sockets 100000}); {@link #DEFAULTS} lists every
 * flag there is, so a misspelt one is refused rather than ignored.
 */
final class Options {

  static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("scenarios", "a,b,c,d"),
      Map.entry("runs", "1"),
      Map.entry("node-jar", "chat-http/target/chat-node.jar"),
      Map.entry("url", ""),            // attach: REST (and, unless ws-url, WebSocket) base of a running server
      Map.entry("ws-url", ""),         // attach: where sockets connect (a balancer; or a comma list of nodes, socket i to the i-th mod n)
      Map.entry("pid", ""),            // attach: name=pid,... sampled from /proc; the first is "the server"
      Map.entry("out", ""),            // also append the JSON lines to this file
      Map.entry("source-addresses", "8"),
      Map.entry("io-threads", "2"),
      Map.entry("sockets-per-user", "100"),
      Map.entry("register-threads", "4"),
      Map.entry("connect-concurrency", "256"),
      Map.entry("join-concurrency", "256"),
      Map.entry("setup-timeout", "600"),
      Map.entry("text-bytes", "100"),
      Map.entry("a.sockets", "10000"), Map.entry("a.room-size", "100"), Map.entry("a.settle", "5"),
      Map.entry("a.window", "30"), Map.entry("a.hold", "0"),
      Map.entry("b.sockets", "2000"), Map.entry("b.rooms", "20"), Map.entry("b.senders", "20"), Map.entry("b.rate", "200"),
      Map.entry("b.warmup", "10"), Map.entry("b.window", "30"), Map.entry("b.drain", "10"),
      Map.entry("c.sockets", "2000"), Map.entry("c.rooms", "20"), Map.entry("c.steps", "500,1000,2000,4000"),
      Map.entry("c.per-sender", "10"), Map.entry("c.warmup", "2"), Map.entry("c.window", "15"), Map.entry("c.drain", "10"),
      Map.entry("c.rest", "5"), Map.entry("c.fresh-node", "true"),
      Map.entry("d.sockets", "1000"), Map.entry("d.rooms", "1"), Map.entry("d.senders", "1"), Map.entry("d.rate", "10"),
      Map.entry("d.warmup", "5"), Map.entry("d.window", "30"), Map.entry("d.drain", "10"));

  private final Map<String, String> values = new HashMap<>(DEFAULTS);

  Options(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) throw new IllegalArgumentException("expected --flag, got " + arg);
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException(arg + " needs a value");
        value = args[++i];
      }
      if (!DEFAULTS.containsKey(name)) throw new IllegalArgumentException("unknown flag --" + name + "; known: " + DEFAULTS.keySet());
      values.put(name, value);
    }
  }

  String str(String name) {
    return values.get(name);
  }

  int integer(String name) {
    return Integer.parseInt(values.get(name).trim());
  }

  boolean bool(String name) {
    return Boolean.parseBoolean(values.get(name).trim());
  }

  double decimal(String name) {
    return Double.parseDouble(values.get(name).trim());
  }

  List<String> list(String name) {
    String v = values.get(name).trim();
    return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList();
  }

  boolean attached() {
    return !values.get("url").isBlank();
  }
}
