package io.xfaas.bench;

import java.util.Arrays;
import java.util.Collection;

/** Medians and percentiles, nearest-rank, no interpolation. */
public final class Stats {
  private Stats() {}

  public static double median(Collection<Double> values) {
    if (values.isEmpty()) return Double.NaN;
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The {@code p}-th percentile (0 < p <= 100) of {@code values}; sorts a copy. */
  public static long percentile(long[] values, double p) {
    if (values.length == 0) return -1;
    long[] v = values.clone();
    Arrays.sort(v);
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }
}
