package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {
  @Test
  void percentilesAreBucketUpperBoundsAndTheHistogramStaysSparse() {
    long[] h = DelayHistogram.empty();
    for (int i = 0; i < 98; i++) h = DelayHistogram.record(h, 10);
    h = DelayHistogram.record(h, 1000);
    h = DelayHistogram.record(h, 0);
    assertThat(h).hasSize(3); // three buckets in use, not eighty
    assertThat(DelayHistogram.percentile(h, 0.5)).isBetween(10L, 13L);
    assertThat(DelayHistogram.percentile(h, 0.995)).isBetween(1000L, 1250L);
    assertThat(DelayHistogram.percentile(h, 0.001)).isEqualTo(1);
    assertThat(DelayHistogram.percentile(DelayHistogram.empty(), 0.99)).isZero();
  }

  @Test
  void recordingDoesNotChangeTheHistogramItWasGiven() {
    long[] one = DelayHistogram.record(DelayHistogram.empty(), 5);
    long[] two = DelayHistogram.record(one, 5);
    assertThat(DelayHistogram.percentile(one, 1.0)).isEqualTo(DelayHistogram.percentile(two, 1.0));
    assertThat(one[0] & 0xFFFF).isEqualTo(1);
    assertThat(two[0] & 0xFFFF).isEqualTo(2);
  }

  @Test
  void addingCountsInPlaceAndMatchesRecording() {
    long[] recorded = DelayHistogram.empty();
    long[] added = DelayHistogram.empty();
    for (long d : new long[] {5, 5, 900, 0, 5, 900, 40}) {
      recorded = DelayHistogram.record(recorded, d);
      long[] before = added;
      added = DelayHistogram.add(added, d);
      if (before.length == added.length) assertThat(added).isSameAs(before);
    }
    assertThat(added).containsExactly(recorded);
  }
}
