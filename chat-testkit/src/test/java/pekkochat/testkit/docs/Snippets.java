package pekkochat.testkit.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a Markdown doc's snippet blocks from marked regions of source files, as Pekko's docs do.
 * A block is {@code <!-- snippet: path/from/repo/root#marker -->}, a fenced code block, then
 * {@code <!-- end snippet -->}. A region is the lines between the two lines {@code // #marker} (or
 * {@code <!-- #marker -->} in XML) of the file, dedented, with lines of other markers left out (regions may nest).
 */
final class Snippets {
    private static final Pattern START = Pattern.compile("(?m)^<!-- snippet: (\\S+)#([\\w-]+) -->$");
    private static final String END = "<!-- end snippet -->";
    /** {@code // #name} in Java, {@code <!-- #name -->} in XML */
    private static final Pattern MARKER_LINE = Pattern.compile("^\\s*(// #[\\w-]+|<!-- #[\\w-]+ -->)\\s*$");

    /** The doc with every block filled from its source; {@code changed} names the blocks that differed. */
    record Result(String text, int count, List<String> changed) {
    }

    private Snippets() {
    }

    static Result render(String doc, Path root) {
        StringBuilder out = new StringBuilder();
        List<String> changed = new ArrayList<>();
        int count = 0;
        int at = 0;
        Matcher m = START.matcher(doc);
        while (m.find(at)) {
            int end = doc.indexOf(END, m.end());
            if (end < 0) throw new IllegalStateException("snippet " + m.group(1) + "#" + m.group(2) + " has no " + END);
            String fence = fenceOpening(doc.substring(m.end(), end));
            String ref = m.group(1) + "#" + m.group(2);
            String expected = "\n" + fence + "\n" + region(root.resolve(m.group(1)), m.group(2), ref) + "\n```\n";
            if (!doc.substring(m.end(), end).equals(expected)) changed.add(ref + " differs from its source");
            out.append(doc, at, m.end()).append(expected);
            at = end;
            count++;
        }
        out.append(doc.substring(at));
        return new Result(out.toString(), count, changed);
    }

    /** The block's opening fence (e.g. {@code ```java}), kept as written. */
    private static String fenceOpening(String block) {
        for (String line : block.split("\n")) {
            if (line.startsWith("```")) return line;
        }
        return "```java";
    }

    private static String region(Path file, String marker, String ref) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("snippet " + ref + ": cannot read " + file, e);
        }
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// #" + marker) || line.equals("<!-- #" + marker + " -->")) at.add(i);
        }
        if (at.size() != 2) {
            throw new IllegalStateException("snippet " + ref + ": marker // #" + marker + " found " + at.size()
                    + " times in " + file + ", needs exactly 2");
        }
        List<String> body = new ArrayList<>();
        for (String line : lines.subList(at.get(0) + 1, at.get(1))) {
            if (!MARKER_LINE.matcher(line).matches()) body.add(line);
        }
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(Snippets::indentOf).min().orElse(0);
        List<String> dedented = body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
        return String.join("\n", dedented);
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }
}
