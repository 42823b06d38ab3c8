package pekkochat.testkit.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples of a Prometheus text exposition. */
public final class Metrics {

    /** One sample line: metric name, label text (inside the braces, maybe empty), value. */
    public record Sample(String name, String labels, double value) {
    }

    /** A catalogue row of docs/metrics.md: {@code | `name` | type | ...}. */
    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|\\s*([a-z]+)\\s*\\|");

    private Metrics() {
    }

    /** The metrics a markdown catalogue (docs/metrics.md) lists, name → Prometheus type, in its order. */
    public static Map<String, String> catalogue(Path markdown) {
        Map<String, String> metrics = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(markdown)) {
                Matcher m = CATALOGUE_ROW.matcher(line);
                if (m.find()) metrics.put(m.group(1), m.group(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }

    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String name;
            String labels = "";
            String rest;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (brace >= 0 && (space < 0 || brace < space)) {
                int close = line.lastIndexOf('}');
                name = line.substring(0, brace);
                labels = line.substring(brace + 1, close);
                rest = line.substring(close + 1).strip();
            } else {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            }
            String value = rest.split("\\s+")[0];
            double v;
            try {
                v = Double.parseDouble(value.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new Sample(name, labels, v));
        }
        return out;
    }

    /** True if a sample of this metric exists (a histogram or summary counts by its _count/_sum/_bucket/_max). */
    public static boolean has(List<Sample> samples, String metric) {
        return samples.stream().anyMatch(s -> s.name().equals(metric) || s.name().equals(metric + "_count")
                || s.name().equals(metric + "_sum") || s.name().equals(metric + "_bucket") || s.name().equals(metric + "_max"));
    }

    /** Sum of the samples of {@code metric} whose labels contain {@code labelFragment} (e.g. {@code reason="x"}). */
    public static double sum(List<Sample> samples, String metric, String labelFragment) {
        return samples.stream().filter(s -> s.name().equals(metric) && s.labels().contains(labelFragment))
                .mapToDouble(Sample::value).sum();
    }
}
