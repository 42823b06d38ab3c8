package pekkochat.testkit.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets tests hand to nodes (passwords, tokens, tickets, invite codes), remembered as the
 * testkit's REST and JWT helpers see them, and a scan of a node log for any of them. {@link
 * ChatNodes} scans every log of a node it started before it deletes or keeps it, so every e2e
 * test checks that no secret it used reached a log line. The scan is bounded: it reads at most
 * {@link #MAX_SCANNED_BYTES} of a log, and remembers at most {@link #MAX_SECRETS} secrets.
 */
public final class LogSecrets {
    static final long MAX_SCANNED_BYTES = 64L * 1024 * 1024;
    static final int MAX_SECRETS = 200_000;
    /** Shorter strings could be any word of a log line. */
    private static final int MIN_LENGTH = 8;
    /** The characters of a token, ticket or invite code: JWTs (with dots) and URL-safe base64. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_\\-.~+/=]+");
    private static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();
    /** Passwords may hold any character, so they are looked for anywhere in a line; tests use few. */
    private static final Set<String> PASSWORDS = ConcurrentHashMap.newKeySet();

    private LogSecrets() {
    }

    /** A token, ticket or invite code the test used. */
    public static void rememberToken(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH && TOKENS.size() < MAX_SECRETS) TOKENS.add(secret);
    }

    /** A password the test sent. */
    public static void rememberPassword(String password) {
        if (password != null && password.length() >= MIN_LENGTH && PASSWORDS.size() < MAX_SECRETS) PASSWORDS.add(password);
    }

    /** Every line of {@code log} holding a remembered secret, described without the secret itself. */
    public static List<String> findIn(Path log) {
        List<String> found = new ArrayList<>();
        if (!Files.exists(log)) return found;
        long read = 0;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null && read < MAX_SCANNED_BYTES) {
                read += line.length() + 1;
                lineNo++;
                String kind = secretIn(line);
                if (kind != null) found.add(log.getFileName() + ":" + lineNo + " holds a " + kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + log, e);
        }
        return found;
    }

    /** The kind of secret {@code line} holds, or null. */
    static String secretIn(String line) {
        Matcher words = WORD.matcher(line);
        while (words.find()) {
            String word = words.group();
            // a secret may be a piece of a word, e.g. "ticket=<ticket>", ".../invites/<code>", "<jwt>."
            for (String part : word.split("[=/]")) {
                if (TOKENS.contains(part) || TOKENS.contains(trimDots(part))) return "token, ticket or invite code";
            }
        }
        for (String password : PASSWORDS) {
            if (line.contains(password)) return "password";
        }
        return null;
    }

    private static String trimDots(String word) {
        int from = 0;
        int to = word.length();
        while (from < to && word.charAt(from) == '.') from++;
        while (to > from && word.charAt(to - 1) == '.') to--;
        return word.substring(from, to);
    }
}
