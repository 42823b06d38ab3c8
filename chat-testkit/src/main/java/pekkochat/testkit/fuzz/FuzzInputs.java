package pekkochat.testkit.fuzz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Hostile inputs for the fuzz suite (issue #13, docs/testing.md "Fuzzing"): real JSON bodies from
 * a committed corpus, mutated byte by byte and field by field, and hand-made JSON that parsers get
 * wrong (duplicate keys, trailing input, lone surrogates, control characters, huge numbers, deep
 * nesting). Driven by a plain {@link Random}, so a seed replays a run: the fuzz tests' bounded
 * mutation passes and the end-to-end FuzzIT loop over it with a fixed seed.
 *
 * <p>The corpus directories are the seed directories of Jazzer's {@code @FuzzTest}s
 * ({@code <TestClass>Inputs/<method>/} beside the test class on the test classpath): the
 * hand-written seeds are the {@code *.json} files ({@link #seeds}); what Jazzer finds while fuzzing
 * is stored there too (as {@code crash-...} files) and is part of {@link #corpus} from then on.
 */
public final class FuzzInputs {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Characters that break JSON or the protocol's rules: quotes, escapes, brackets, controls, lone surrogates. */
  private static final String NASTY_CHARS = "\"\\{}[],:0-9eE.+ \n\t\r\u0000\u0001\u001f\u007f\u0085\u2028\u2029\ufeff\ud800\udc00\uffff";
  /** Raw JSON values of the wrong shape or beyond a bound, put where a real value was. */
  private static final List<String> WRONG_VALUES = List.of(
      "null", "true", "false", "0", "-1", "-0", "1.5", "1e3", "-9223372036854775809", "9223372036854775807",
      "9223372036854775808", "1" + "0".repeat(30), "1" + "0".repeat(1200), "1e999999", "[]", "[\"a\"]", "{}",
      "{\"a\":1}", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\nb\"", "\"\\ud800\"", "\"\\udc00x\"", "\"x\\ud83d\"",
      "\"\\u0007bell\"", "\"" + "x".repeat(65) + "\"", "\"" + "x".repeat(4001) + "\"", "\"\uD83D\uDE00\"",
      "\"join\"", "\"send\"", "\"online\"", "\"owner\"", "\"admin\"", "\"public\"");
  private static final List<String> TRAILERS = List.of("x", "}", "]", "{}", " {\"type\":\"ping\"}", "\n{\"type\":\"ping\"}", ",", "\u0000", "//c", "/*c*/");
  private static final int MAX_NESTING = 20_000;
  /** No field index: nothing repeated, nothing skipped. */
  private static final int NONE = -1;

  private FuzzInputs() {}

  /** Every file of a test-classpath directory, trimmed: one input per file, seeds and findings. */
  public static List<String> corpus(String resourceDirectory) {
    return files(resourceDirectory, "");
  }

  /** The hand-written seeds of a test-classpath directory: its {@code *.json} files, each a valid input. */
  public static List<String> seeds(String resourceDirectory) {
    return files(resourceDirectory, ".json");
  }

  /** Random text of up to 300 UTF-16 units (any, lone surrogates too), or up to 200 from {@code alphabet}. */
  public static String anyString(Random random, String alphabet) {
    StringBuilder text = new StringBuilder();
    if (random.nextBoolean()) {
      int length = random.nextInt(301);
      for (int i = 0; i < length; i++) text.append((char) random.nextInt(Character.MAX_VALUE + 1));
    } else {
      int length = random.nextInt(201);
      for (int i = 0; i < length; i++) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /**
   * Whether the input is exactly one JSON object, with nothing but white space after it: the oracle
   * for "a decoder accepted it", independent of how the decoder is configured.
   */
  public static boolean isOneJsonObject(String input) {
    try (JsonParser json = MAPPER.getFactory().createParser(input)) {
      if (json.nextToken() != JsonToken.START_OBJECT) return false;
      json.skipChildren();
      return json.nextToken() == null;
    } catch (IOException notJson) {
      return false;
    }
  }

  private static List<String> files(String resourceDirectory, String suffix) {
    URL url = Thread.currentThread().getContextClassLoader().getResource(resourceDirectory);
    if (url == null) throw new IllegalArgumentException("no corpus on the classpath at " + resourceDirectory);
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      List<String> inputs = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        if (file.getFileName().toString().endsWith(suffix)) inputs.add(Files.readString(file, StandardCharsets.UTF_8).strip());
      }
      return List.copyOf(inputs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The string of these code points: how a generator of characters (not UTF-16 units) makes its text. */
  public static String fromCodePoints(List<Integer> codePoints) {
    StringBuilder text = new StringBuilder(codePoints.size());
    codePoints.forEach(text::appendCodePoint);
    return text.toString();
  }

  /** One of the corpus' inputs, mutated once or a few times. */
  public static String mutated(List<String> corpus, Random random) {
    String input = corpus.get(random.nextInt(corpus.size()));
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) input = mutate(input, random);
    return input;
  }

  /** One mutation: by characters, or of one field of the object when the input still is one. */
  public static String mutate(String input, Random random) {
    int at = input.isEmpty() ? 0 : random.nextInt(input.length() + 1);
    int to = Math.min(input.length(), at + random.nextInt(8));
    switch (random.nextInt(12)) {
      case 0: return input.substring(0, at) + input.substring(to);
      case 1: return input.substring(0, at) + nastyChar(random) + input.substring(at);
      case 2: return at < input.length() ? input.substring(0, at) + nastyChar(random) + input.substring(at + 1) : input + nastyChar(random);
      case 3: return input.substring(0, to) + input.substring(at, to) + input.substring(to);
      case 4: return input.substring(0, at);
      case 5: return input + TRAILERS.get(random.nextInt(TRAILERS.size()));
      case 6: return nested(input, random);
      default: return mutateField(input, random);
    }
  }

  /** Hand-made hostile JSON around a real input's fields: what a careless or malicious client sends. */
  public static String mutateField(String input, Random random) {
    Map.Entry<String, String>[] fields = fields(input);
    if (fields == null || fields.length == 0) return input + TRAILERS.get(random.nextInt(TRAILERS.size()));
    int victim = random.nextInt(fields.length);
    switch (random.nextInt(5)) {
      case 0: // wrong type or out of bounds
        fields[victim] = Map.entry(fields[victim].getKey(), WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size())));
        return object(fields, NONE, null, NONE);
      case 1: // the field twice, the second time with another value
        return object(fields, victim, WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size())), NONE);
      case 2: // the field gone
        return object(fields, NONE, null, victim);
      case 3: // a key with a control character or a lone surrogate in it
        fields[victim] = Map.entry(fields[victim].getKey() + nastyChar(random), fields[victim].getValue());
        return object(fields, NONE, null, NONE);
      default: // a deeply nested value
        fields[victim] = Map.entry(fields[victim].getKey(), nested(fields[victim].getValue(), random));
        return object(fields, NONE, null, NONE);
    }
  }

  private static String nested(String value, Random random) {
    int depth = 1 + random.nextInt(random.nextBoolean() ? 100 : MAX_NESTING);
    return "[".repeat(depth) + value + "]".repeat(depth);
  }

  private static char nastyChar(Random random) {
    return NASTY_CHARS.charAt(random.nextInt(NASTY_CHARS.length()));
  }

  /** The object's fields as raw JSON text, in order; null when the input is not an object. */
  @SuppressWarnings("unchecked")
  private static Map.Entry<String, String>[] fields(String input) {
    JsonNode node;
    try {
      node = MAPPER.readTree(input);
    } catch (IOException notJson) {
      return null;
    }
    if (node == null || !node.isObject()) return null;
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.add(Map.entry(field.getKey(), field.getValue().toString()));
    }
    return fields.toArray(Map.Entry[]::new);
  }

  /** Writes the fields back as an object, field {@code repeated} twice (the second time {@code repeatedValue}), {@code skipped} left out. */
  private static String object(Map.Entry<String, String>[] fields, int repeated, String repeatedValue, int skipped) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < fields.length; i++) {
      if (i == skipped) continue;
      if (out.length() > 1) out.append(',');
      out.append(quote(fields[i].getKey())).append(':').append(fields[i].getValue());
      if (i == repeated && repeatedValue != null) out.append(',').append(quote(fields[i].getKey())).append(':').append(repeatedValue);
    }
    return out.append('}').toString();
  }

  private static String quote(String key) {
    return '"' + key.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
