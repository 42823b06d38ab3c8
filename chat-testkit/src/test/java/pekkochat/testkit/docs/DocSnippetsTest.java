package pekkochat.testkit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code in {@code docs/testing.md} is the marked regions of compiled tests that run in the build.
 * Fails when a snippet's source file or marker is missing or its text differs from the source.
 * {@code -Dsnippets.update=true} rewrites the doc from the sources instead:
 * {@code mvn -B test -pl chat-testkit -Dtest=DocSnippetsTest -Dsnippets.update=true}.
 */
class DocSnippetsTest {
    private static final List<String> DOCS = List.of("docs/testing.md");

    @Test
    void everySnippetInTheDocsIsItsMarkedSourceRegion() throws IOException {
        Path root = Path.of(System.getProperty("chat.repo.root", "..")).toAbsolutePath().normalize();
        boolean update = Boolean.getBoolean("snippets.update");
        List<String> problems = new ArrayList<>();
        for (String doc : DOCS) {
            Path file = root.resolve(doc);
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Snippets.Result result = Snippets.render(text, root);
            assertTrue(result.count() > 0, doc + " has no snippet blocks: the check would prove nothing");
            if (result.text().equals(text)) continue;
            if (update) {
                Files.writeString(file, result.text(), StandardCharsets.UTF_8);
                System.out.println("[snippets] rewrote " + file);
            } else {
                problems.add(doc + ": " + String.join("; ", result.changed())
                        + " (regenerate with -Dsnippets.update=true)");
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    // ---- the checker itself can fail

    @Test
    void aSnippetIsTheRegionBetweenItsMarkersDedentedWithoutNestedMarkers(@TempDir Path root) throws IOException {
        write(root, "A.java", "class A {\n    // #outer\n    int a;\n    // #inner\n    int b;\n    // #inner\n    // #outer\n}\n");
        String doc = block("A.java#outer", "int a;\nint b;");
        Snippets.Result r = Snippets.render(doc, root);
        assertEquals(doc, r.text());
        assertEquals(1, r.count());
    }

    @Test
    void aChangedSourceChangesTheDoc(@TempDir Path root) throws IOException {
        write(root, "A.java", "// #m\nint a = 2;\n// #m\n");
        Snippets.Result r = Snippets.render(block("A.java#m", "int a = 1;"), root);
        assertFalse(r.changed().isEmpty());
        assertEquals(block("A.java#m", "int a = 2;"), r.text());
    }

    @Test
    void aMissingMarkerOrFileFails(@TempDir Path root) throws IOException {
        write(root, "A.java", "int a;\n");
        IllegalStateException noMarker = assertThrows(IllegalStateException.class, () -> Snippets.render(block("A.java#gone", "int a;"), root));
        assertTrue(noMarker.getMessage().contains("#gone"), noMarker.getMessage());
        write(root, "B.java", "// #once\nint a;\n");
        assertThrows(IllegalStateException.class, () -> Snippets.render(block("B.java#once", "int a;"), root));
        assertThrows(IllegalStateException.class, () -> Snippets.render(block("Missing.java#m", "x"), root));
    }

    @Test
    void anUnclosedBlockFails(@TempDir Path root) {
        assertThrows(IllegalStateException.class, () -> Snippets.render("<!-- snippet: A.java#m -->\n```java\nx\n```\n", root));
    }

    private static String block(String ref, String code) {
        return "Intro.\n\n<!-- snippet: " + ref + " -->\n```java\n" + code + "\n```\n<!-- end snippet -->\n\nOutro.\n";
    }

    private static void write(Path root, String name, String text) throws IOException {
        Files.writeString(root.resolve(name), text, StandardCharsets.UTF_8);
    }
}
