package pekkochat.testkit.services;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints one line when a test run skipped tests through {@link SkippedTests}: how many, what they
 * needed, what would run them. Registered with JUnit's launcher by META-INF/services, so every
 * module whose tests use the testkit's services reports its skips at the end of its tests.
 */
public final class SkipSummary implements TestExecutionListener {
    private final Map<String, AtomicInteger> skipsByReason = new ConcurrentHashMap<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) return;
        Optional<String> message = result.getThrowable().map(Throwable::getMessage);
        if (message.isEmpty() || !message.get().startsWith(SkippedTests.MARKER)) return;
        skipsByReason.computeIfAbsent(message.get(), m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (skipsByReason.isEmpty()) return;
        int total = skipsByReason.values().stream().mapToInt(AtomicInteger::get).sum();
        StringBuilder line = new StringBuilder("[testkit] SKIPPED " + total + " test(s):");
        new TreeMap<>(skipsByReason).forEach((reason, count) -> line.append(' ').append(count.get()).append(" x ").append(reason).append(';'));
        System.out.println(line);
    }
}
