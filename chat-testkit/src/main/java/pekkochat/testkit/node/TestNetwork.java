package pekkochat.testkit.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import pekkochat.testkit.services.SkippedTests;

/**
 * Hosts of a test's own on one machine, so that a test can cut the network between them: one
 * network namespace per host, each joined by a veth pair to a bridge in the machine's namespace,
 * which has the gateway address (the test's own side: it reaches every host, and every host
 * reaches it). {@link #partition} puts blackhole routes between two sides; the gateway stays
 * reachable from both, as a database on another machine would. Needs root and iproute2's
 * {@code ip}; a machine without them skips the test (with {@code CI=true}, a machine that has
 * {@code ip} but cannot make namespaces fails it). Close it to remove every namespace and link.
 */
public final class TestNetwork implements AutoCloseable {
    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Third octet of 10.213.x.0/24 is random, so that two test runs on one machine do not collide. */
    private static final int SUBNET_CHOICES = 250;
    private static final int FIRST_HOST_OCTET = 11;

    private final String id;
    private final String subnetPrefix;
    private final int hosts;
    private final List<String> blackholes = new ArrayList<>();

    private TestNetwork(String id, String subnetPrefix, int hosts) {
        this.id = id;
        this.subnetPrefix = subnetPrefix;
        this.hosts = hosts;
    }

    /** A bridge and {@code hosts} namespaces, up and addressed; skips the test where that is not possible. */
    public static TestNetwork create(int hosts) {
        if (!Files.isExecutable(IP)) {
            SkippedTests.skip("network namespaces", IP + " is missing", "apt-get install -y iproute2, and run as root");
        }
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        TestNetwork net = new TestNetwork(id, "10.213." + (1 + ThreadLocalRandom.current().nextInt(SUBNET_CHOICES)), hosts);
        try {
            net.build();
        } catch (IllegalStateException e) {
            net.close();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and this machine has ip, but: " + e.getMessage());
            SkippedTests.skip("network namespaces", e.getMessage(), "run the tests as root on Linux with iproute2");
        }
        return net;
    }

    private void build() {
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", gateway() + "/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        for (int i = 0; i < hosts; i++) {
            ip("netns", "add", namespace(i));
            ip("link", "add", veth(i), "type", "veth", "peer", "name", "eth0", "netns", namespace(i));
            ip("link", "set", veth(i), "master", bridge(), "up");
            ip("-n", namespace(i), "addr", "add", host(i) + "/24", "dev", "eth0");
            ip("-n", namespace(i), "link", "set", "eth0", "up");
            ip("-n", namespace(i), "link", "set", "lo", "up");
        }
    }

    /** The address of the test's own side, on the bridge: servers the hosts must reach bind here. */
    public String gateway() {
        return subnetPrefix + ".1";
    }

    /** Host {@code i}'s address, inside its namespace. */
    public String host(int i) {
        return subnetPrefix + "." + (FIRST_HOST_OCTET + i);
    }

    /** Host {@code i}'s namespace, for {@code ip netns exec}. */
    public String namespace(int i) {
        return "pc" + id + "-" + i;
    }

    /** Cuts every host in {@code side} off from every host not in it, both ways; the gateway stays reachable. */
    public void partition(Set<Integer> side) {
        for (int a = 0; a < hosts; a++) {
            for (int b = 0; b < hosts; b++) {
                if (side.contains(a) != side.contains(b)) {
                    ip("-n", namespace(a), "route", "add", "blackhole", host(b));
                    blackholes.add(namespace(a) + " " + host(b));
                }
            }
        }
    }

    /** Takes every partition away. */
    public void heal() {
        for (String hole : blackholes) {
            String[] parts = hole.split(" ");
            ip("-n", parts[0], "route", "del", "blackhole", parts[1]);
        }
        blackholes.clear();
    }

    @Override
    public void close() {
        for (int i = 0; i < hosts; i++) quietly("netns", "del", namespace(i)); // takes its veth peer along
        quietly("link", "del", bridge());
    }

    private String bridge() {
        return "pcbr" + id;
    }

    private String veth(int i) {
        return "pcv" + id + "-" + i;
    }

    private static void ip(String... args) {
        String out = run(args);
        if (out != null) throw new IllegalStateException("ip " + String.join(" ", args) + " failed: " + out.strip());
    }

    private static void quietly(String... args) {
        run(args);
    }

    /** Runs {@code ip args}; null when it succeeded, else what it printed. */
    private static String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(IP.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "timed out after " + COMMAND_TIMEOUT;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? null : out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
