package pekkochat.testkit.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where a launched node's jar, log and data are. */
final class NodeFiles {
    private NodeFiles() {
    }

    /** The node jar: {@code -Dchat.node.jar}, else {@code chat-http/target/chat-node.jar} seen from here or a parent. */
    static Path jar() {
        String configured = System.getProperty("chat.node.jar");
        if (configured != null) {
            Path jar = Paths.get(configured);
            if (!Files.isRegularFile(jar)) throw new IllegalStateException("no node jar at -Dchat.node.jar=" + jar);
            return jar;
        }
        for (Path dir = workingDir(); dir != null; dir = dir.getParent()) {
            for (Path jar : List.of(dir.resolve("target/chat-node.jar"), dir.resolve("chat-http/target/chat-node.jar"))) {
                if (Files.isRegularFile(jar)) return jar;
            }
        }
        throw new IllegalStateException("node jar not built (run mvn package or verify), or set -Dchat.node.jar");
    }

    /** {@code -Dchat.testkit.log-dir}, else {@code target/e2e-logs} of the module under test. */
    static Path logDir() {
        String configured = System.getProperty("chat.testkit.log-dir");
        return configured != null ? Paths.get(configured) : workingDir().resolve("target/e2e-logs");
    }

    /** Maven's module dir ({@code basedir}, set by surefire and failsafe), else the working directory. */
    private static Path workingDir() {
        String basedir = System.getProperty("basedir");
        return (basedir != null ? Paths.get(basedir) : Paths.get("")).toAbsolutePath();
    }

    static Path tempDataDir(String name) {
        try {
            return Files.createTempDirectory("chat-e2e-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "--- last lines of " + file + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("[testkit] could not delete " + file + ": " + e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir
        }
    }
}
