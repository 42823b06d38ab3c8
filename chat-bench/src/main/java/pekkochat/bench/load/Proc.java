package pekkochat.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time (utime + stime) and resident set, read from {@code /proc/<pid>}. Clock
 * ticks are taken as 100 a second (USER_HZ on Linux x86 and arm).
 */
record Proc(String name, long pid) {

  private static final double TICKS_PER_SECOND = 100.0;

  record Sample(long nanos, double cpuSeconds, long rssKb) {}

  static Proc self() {
    return new Proc("generator", ProcessHandle.current().pid());
  }

  Sample sample() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the parenthesised command name, which may itself hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
      return new Sample(System.nanoTime(), cpu, rss);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + " (" + name + "): is it running here?", e);
    }
  }

  /** The process's open-files limit, from {@code /proc/<pid>/limits}. */
  long maxOpenFiles() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/limits", e);
    }
    return Long.MAX_VALUE;
  }

  /** Cores used between two samples. */
  static double cores(Sample from, Sample to) {
    return (to.cpuSeconds() - from.cpuSeconds()) / ((to.nanos() - from.nanos()) / 1e9);
  }
}
