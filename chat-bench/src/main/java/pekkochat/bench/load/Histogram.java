package pekkochat.bench.load;

/**
 * Latencies in microseconds, log-linear buckets (exact below 2 ms, within 0.4% above), one
 * instance per IO thread so recording takes no lock; {@link #merge} them to read percentiles.
 */
final class Histogram {

  private static final int LINEAR = 2048;
  private static final int SUB_BITS = 8;
  private static final int BUCKETS = LINEAR + (63 - 11) * (1 << SUB_BITS);

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long maxMicros;

  void recordNanos(long nanos) {
    long us = Math.max(0, nanos / 1000);
    counts[index(us)]++;
    total++;
    if (us > maxMicros) maxMicros = us;
  }

  static Histogram merge(Histogram... parts) {
    Histogram all = new Histogram();
    for (Histogram h : parts) {
      for (int i = 0; i < BUCKETS; i++) all.counts[i] += h.counts[i];
      all.total += h.total;
      all.maxMicros = Math.max(all.maxMicros, h.maxMicros);
    }
    return all;
  }

  long count() {
    return total;
  }

  double maxMs() {
    return total == 0 ? Double.NaN : maxMicros / 1000.0;
  }

  /** The value at quantile {@code q} in ms (the bucket's lower edge); NaN when empty. */
  double quantileMs(double q) {
    if (total == 0) return Double.NaN;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank && counts[i] > 0) return lowerEdge(i) / 1000.0;
    }
    return maxMs();
  }

  private static int index(long us) {
    if (us < LINEAR) return (int) us;
    int log = 63 - Long.numberOfLeadingZeros(us);
    int sub = (int) ((us >>> (log - SUB_BITS)) & ((1 << SUB_BITS) - 1));
    return Math.min(BUCKETS - 1, LINEAR + (log - 11) * (1 << SUB_BITS) + sub);
  }

  private static long lowerEdge(int i) {
    if (i < LINEAR) return i;
    int log = (i - LINEAR) / (1 << SUB_BITS) + 11;
    int sub = (i - LINEAR) % (1 << SUB_BITS);
    return (1L << log) + ((long) sub << (log - SUB_BITS));
  }
}
