package pekkochat.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four scenarios of issue 8, each on a fresh node unless attached: a (idle sockets), b
 * (fan-out), c (saturation steps), d (one big room). Each returns JSON-ready figure maps, one
 * per measured step.
 */
final class Scenarios {

  private final Options o;
  private final Path dir;
  private final String text;

  Scenarios(Options o, Path dir) {
    this.o = o;
    this.dir = dir;
    this.text = "x".repeat(o.integer("text-bytes"));
  }

  List<Map<String, Object>> run(String scenario, int run) throws Exception {
    Path runDir = Files.createDirectories(dir.resolve(scenario + "-" + run));
    return switch (scenario) {
      case "a" -> List.of(new IdleScenario(o, runDir).run());
      case "b" -> load(runDir, "b", List.of(o.decimal("b.rate")), o.integer("b.senders"));
      case "c" -> load(runDir, "c", o.list("c.steps").stream().map(Double::parseDouble).toList(), 0);
      case "d" -> load(runDir, "d", List.of(o.decimal("d.rate")), o.integer("d.senders"));
      default -> throw new IllegalArgumentException("no scenario " + scenario + " (a, b, c, d)");
    };
  }

  /**
   * Sockets in rooms, then one paced step per rate; c's senders follow its rate (one per
   * c.per-sender msg/s) and, with c.fresh-node, each of its steps gets a node of its own, so that
   * one step's backlog does not spill into the next.
   */
  private List<Map<String, Object>> load(Path runDir, String s, List<Double> rates, int fixedSenders) throws Exception {
    boolean fresh = s.equals("c") && o.bool("c.fresh-node") && !o.attached();
    List<Map<String, Object>> out = new ArrayList<>();
    if (fresh) {
      for (int i = 0; i < rates.size(); i++) {
        out.addAll(steps(Files.createDirectories(runDir.resolve("step-" + i)), s, i, List.of(rates.get(i)), fixedSenders));
      }
    } else {
      out.addAll(steps(runDir, s, 0, rates, fixedSenders));
    }
    return out;
  }

  private List<Map<String, Object>> steps(Path runDir, String s, int firstStep, List<Double> rates, int fixedSenders)
      throws Exception {
    int sockets = o.integer(s + ".sockets");
    int rooms = o.integer(s + ".rooms");
    List<Map<String, Object>> out = new ArrayList<>();
    try (Target target = Target.open(o, runDir, sockets)) {
      target.checkFileLimits(sockets);
      try (Fleet fleet = new Fleet(target, o, sockets, rooms)) {
        Map<String, Object> setup = setUp(fleet, s);
        for (int i = 0; i < rates.size(); i++) {
          double rate = rates.get(i);
          int senders = fixedSenders > 0 ? fixedSenders : (int) Math.ceil(rate / o.decimal("c.per-sender"));
          if (senders > sockets) throw new IllegalArgumentException(senders + " senders but only " + sockets + " sockets");
          PacedLoad.Plan plan = new PacedLoad.Plan(s + (firstStep + i), senders, rate, o.decimal(s + ".warmup"),
              o.decimal(s + ".window"), o.decimal(s + ".drain"), sockets / rooms);
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("scenario", s);
          f.putAll(PacedLoad.run(fleet, target, plan, text));
          f.put("sockets", sockets);
          f.put("rooms", rooms);
          f.put("sockets_open_after", fleet.traffic.opened.get() - fleet.traffic.gone.get());
          f.put("socket_endings", fleet.traffic.endings());
          f.put("setup", setup);
          f.put("server_ready_after", target.ready());
          out.add(f);
          if (i + 1 < rates.size()) Thread.sleep((long) (o.decimal("c.rest") * 1000));
        }
        fleet.closeAll(10_000);
      }
    }
    return out;
  }

  /** Users, rooms, sockets, joins; the times they took. */
  static Map<String, Object> setUp(Fleet fleet, String prefix) throws Exception {
    Map<String, Object> setup = new LinkedHashMap<>();
    long t = System.nanoTime();
    fleet.signIn("bench" + prefix + "u");
    setup.put("users", fleet.users);
    setup.put("sign_in_s", Samples.round((System.nanoTime() - t) / 1e9, 2));
    t = System.nanoTime();
    fleet.createRooms("bench-" + prefix + "-" + System.currentTimeMillis());
    setup.put("rooms_s", Samples.round((System.nanoTime() - t) / 1e9, 2));
    setup.put("connect_s", Samples.round(fleet.connect(), 2));
    setup.put("opened", fleet.traffic.opened.get());
    setup.put("join_s", Samples.round(fleet.join(), 2));
    setup.put("joined", fleet.traffic.joined.get());
    if (fleet.traffic.joined.get() < fleet.sockets) {
      System.err.printf("warning: only %d of %d sockets joined; endings %s%n", fleet.traffic.joined.get(), fleet.sockets,
          fleet.traffic.endings());
    }
    return setup;
  }
}
