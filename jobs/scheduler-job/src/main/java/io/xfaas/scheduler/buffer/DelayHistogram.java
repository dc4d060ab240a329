package io.xfaas.scheduler.buffer;

/**
 * Queueing delays in log-spaced buckets (each 25 % wider than the last): percentiles to within a
 * bucket's width, the maximum kept exactly elsewhere. Sparse, because it is rewritten to RocksDB
 * with every dispatch: one {@code long} per bucket in use, {@code bucket << 48 | count}, sorted by
 * bucket. A period's delays usually fall in a handful of buckets.
 */
public final class DelayHistogram {
  static final int BUCKETS = 80;
  private static final double GROWTH = Math.log(1.25);
  private static final int SHIFT = 48;
  private static final long COUNT_MASK = (1L << SHIFT) - 1;

  private DelayHistogram() {}

  public static long[] empty() {
    return new long[0];
  }

  /** The histogram with one more delay of {@code delayMs}; {@code counts} is not changed. */
  public static long[] record(long[] counts, long delayMs) {
    int b = bucket(delayMs);
    int i = 0;
    while (i < counts.length && bucketOf(counts[i]) < b) i++;
    if (i < counts.length && bucketOf(counts[i]) == b) {
      long[] out = counts.clone();
      out[i]++;
      return out;
    }
    long[] out = new long[counts.length + 1];
    System.arraycopy(counts, 0, out, 0, i);
    out[i] = ((long) b << SHIFT) | 1;
    System.arraycopy(counts, i, out, i + 1, counts.length - i);
    return out;
  }

  /**
   * As {@link #record}, but counts into {@code counts} itself when its bucket is there already (for
   * a histogram on the heap, owned by the caller).
   */
  public static long[] add(long[] counts, long delayMs) {
    int b = bucket(delayMs);
    for (int i = 0; i < counts.length && bucketOf(counts[i]) <= b; i++) {
      if (bucketOf(counts[i]) == b) {
        counts[i]++;
        return counts;
      }
    }
    return record(counts, delayMs);
  }

  static int bucket(long ms) {
    if (ms <= 1) return 0;
    return (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / GROWTH));
  }

  private static int bucketOf(long entry) {
    return (int) (entry >>> SHIFT);
  }

  /** The upper bound of the bucket holding the {@code q} quantile; 0 when empty. */
  public static long percentile(long[] counts, double q) {
    long total = 0;
    for (long e : counts) total += e & COUNT_MASK;
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (long e : counts) {
      seen += e & COUNT_MASK;
      int i = bucketOf(e);
      if (seen >= rank) return i == 0 ? 1 : (long) Math.ceil(Math.exp(i * GROWTH));
    }
    return Long.MAX_VALUE;
  }
}
