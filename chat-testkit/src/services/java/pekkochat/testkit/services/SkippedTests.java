package pekkochat.testkit.services;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that cannot run here is skipped with a message that says what it needs and what would
 * run it; {@link SkipSummary} gathers those into one line at the end of the test run, so that a
 * skip is never silent (README: a fresh machine runs every test, or says which it did not).
 */
public final class SkippedTests {
    /** The start of every such message: how {@link SkipSummary} tells them from other aborted tests. */
    static final String MARKER = "[needs ";

    private SkippedTests() {
    }

    /** Skips the calling test: {@code needs} (e.g. "PostgreSQL"), why it is missing, and how to get it. */
    public static void skip(String needs, String why, String howToRun) {
        Assumptions.abort(MARKER + needs + "] " + why + "; to run it: " + howToRun);
    }
}
