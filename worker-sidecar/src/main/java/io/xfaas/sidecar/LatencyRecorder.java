package io.xfaas.sidecar;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Latencies of one period, for its percentiles. Keeps a uniform sample of at most {@code size}
 * latencies (reservoir sampling), so memory stays bounded however many calls a period has.
 *
 * <p>Not thread-safe: its {@link FunctionLane} guards it.
 */
final class LatencyRecorder {
  private final long[] sample;
  private long seen;

  LatencyRecorder(int size) {
    this.sample = new long[size];
  }

  void record(long latencyMs) {
    if (seen < sample.length) {
      sample[(int) seen] = latencyMs;
    } else {
      long i = ThreadLocalRandom.current().nextLong(seen + 1);
      if (i < sample.length) sample[(int) i] = latencyMs;
    }
    seen++;
  }

  /** The {@code q} quantile (0..1) of the period's latencies; 0 when there were none. */
  long quantile(double q) {
    int n = (int) Math.min(seen, sample.length);
    if (n == 0) return 0;
    long[] sorted = Arrays.copyOf(sample, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))];
  }

  /** Starts a new period. */
  void reset() {
    seen = 0;
  }
}
