package io.xfaas.scheduler.sim;

import java.util.Arrays;

/** A growing array of longs, with nearest-rank quantiles once sorted. */
final class Longs {
  private long[] values = new long[16];
  private int size;

  void add(long v) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = v;
  }

  void sort() {
    Arrays.sort(values, 0, size);
  }

  long quantile(double q) {
    if (size == 0) return 0;
    int rank = (int) Math.ceil(q * size);
    return values[Math.max(0, Math.min(size - 1, rank - 1))];
  }
}
