package io.xfaas.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulingMetricsTest {
  private static SchedulingMetrics period(long start, long n, long buffered, long p50) {
    return new SchedulingMetrics(
        "ads",
        "local",
        start,
        start + 1000,
        n,
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 5,
        n + 6,
        buffered,
        p50,
        p50 * 10,
        p50 * 20,
        n + 7,
        n + 8,
        n + 9);
  }

  @Test
  void twoPeriodsAddTheirCountsAndKeepTheBacklogAndDelaysOfTheLaterOne() {
    SchedulingMetrics first = period(0, 10, 4, 5);
    SchedulingMetrics second = period(1000, 100, 9, 7);
    SchedulingMetrics expected =
        new SchedulingMetrics(
            "ads", "local", 0, 2000, 110, 112, 114, 116, 118, 120, 122, 9, 7, 70, 140, 124, 126,
            128);
    assertThat(first.plus(second)).isEqualTo(expected);
    assertThat(second.plus(first)).as("whichever came first").isEqualTo(expected);
  }
}
