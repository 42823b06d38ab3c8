package pekkochat.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project's load tool: runs issue 8's scenarios against a node it starts or one already
 * running, prints a JSON line per measured step and a table of medians. See docs/performance.md
 * for the model, the flags and the commands behind the published figures.
 *
 * <p>{@code java -cp chat-bench/target/chat-bench.jar pekkochat.bench.load.ChatBench --scenarios a,b --runs 3}
 */
public final class ChatBench {

  private ChatBench() {}

  public static void main(String[] args) throws Exception {
    Options o = new Options(args);
    Path dir = Files.createTempDirectory("chat-bench-");
    System.err.println("chat-bench: files in " + dir);
    Scenarios scenarios = new Scenarios(o, dir);
    Report report = new Report(o.str("out"));
    List<String> names = o.list("scenarios");
    for (int run = 1; run <= o.integer("runs"); run++) {
      for (String s : names) {
        System.err.printf("chat-bench: scenario %s, run %d%n", s, run);
        for (var figures : scenarios.run(s, run)) {
          figures.put("run", run);
          report.add(figures);
        }
      }
    }
    report.printTable();
    System.exit(0);
  }
}
