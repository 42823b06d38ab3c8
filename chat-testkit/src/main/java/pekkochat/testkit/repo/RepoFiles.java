package pekkochat.testkit.repo;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's own files (docs, deploy files) for tests that check them against the code. */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root: the nearest directory up from the working dir that holds {@code docs/} and {@code pom.xml}. */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("chat-testkit"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (docs/, pom.xml, chat-testkit/) above " + start);
    }

    /** The shared contract beside the repository ({@code ../shared/PROTOCOL.md}), as CI and the sessions lay it. */
    public static Path protocol() {
        Path protocol = root().resolveSibling("shared").resolve("PROTOCOL.md");
        if (!Files.isRegularFile(protocol)) {
            throw new IllegalStateException("PROTOCOL.md is not at " + protocol + ": the contract lives in ../shared beside the repository");
        }
        return protocol;
    }
}
