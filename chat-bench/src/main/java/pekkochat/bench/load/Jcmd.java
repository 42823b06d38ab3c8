package pekkochat.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server JVM's live heap and class histogram, through the JDK's {@code jcmd}. */
public final class Jcmd {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern HISTO_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  private static final long TIMEOUT_S = 120;

  record ClassCount(long instances, long bytes) {}

  private final long pid;

  public Jcmd(long pid) {
    this.pid = pid;
  }

  /** Forces a full GC, then returns the heap in use (KB): the live heap. */
  public long liveHeapKb() {
    run("GC.run");
    Matcher m = USED.matcher(run("GC.heap_info"));
    if (!m.find()) throw new IllegalStateException("no 'used' figure in GC.heap_info of " + pid);
    return Long.parseLong(m.group(1));
  }

  /** Writes {@code GC.class_histogram} (live objects, after a full GC) to {@code file} and parses it. */
  Map<String, ClassCount> classHistogram(Path file) throws IOException {
    String text = run("GC.class_histogram");
    Files.writeString(file, text);
    Map<String, ClassCount> counts = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = HISTO_LINE.matcher(line);
      if (m.matches()) counts.merge(m.group(3), new ClassCount(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
          (a, b) -> new ClassCount(a.instances() + b.instances(), a.bytes() + b.bytes()));
    }
    return counts;
  }

  /** What {@code after} holds more than {@code before}, per socket, the biggest {@code top} classes by bytes. */
  static Map<String, String> perSocket(Map<String, ClassCount> before, Map<String, ClassCount> after, int sockets, int top) {
    List<Map.Entry<String, ClassCount>> grown = new ArrayList<>();
    for (Map.Entry<String, ClassCount> e : after.entrySet()) {
      ClassCount b = before.getOrDefault(e.getKey(), new ClassCount(0, 0));
      grown.add(Map.entry(e.getKey(), new ClassCount(e.getValue().instances() - b.instances(), e.getValue().bytes() - b.bytes())));
    }
    grown.sort((x, y) -> Long.compare(y.getValue().bytes(), x.getValue().bytes()));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ClassCount> e : grown.subList(0, Math.min(top, grown.size()))) {
      out.put(e.getKey(), String.format("%.2f objects, %.0f B", e.getValue().instances() / (double) sockets,
          e.getValue().bytes() / (double) sockets));
    }
    return out;
  }

  private String run(String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
