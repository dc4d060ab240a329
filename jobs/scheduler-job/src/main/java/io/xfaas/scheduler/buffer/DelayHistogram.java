package io.xfaas.scheduler.buffer;

import java.util.Arrays;

/**
 * Queueing delays in log-spaced buckets (each 25 % wider than the last), small enough to keep per
 * tenant in state: percentiles to within a bucket's width, the maximum exactly.
 */
public final class DelayHistogram {
  static final int BUCKETS = 80;
  private static final double GROWTH = Math.log(1.25);

  private DelayHistogram() {}

  public static long[] empty() {
    return new long[BUCKETS];
  }

  public static void record(long[] counts, long delayMs) {
    counts[bucket(delayMs)]++;
  }

  static int bucket(long ms) {
    if (ms <= 1) return 0;
    return (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / GROWTH));
  }

  /** The upper bound of the bucket holding the {@code q} quantile; 0 when empty. */
  public static long percentile(long[] counts, double q) {
    long total = Arrays.stream(counts).sum();
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return i == 0 ? 1 : (long) Math.ceil(Math.exp(i * GROWTH));
    }
    return Long.MAX_VALUE;
  }
}
