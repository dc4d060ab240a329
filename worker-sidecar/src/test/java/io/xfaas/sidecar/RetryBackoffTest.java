package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void theBackoffDoublesWithEachAttemptUpToItsMaximum() {
    RetryBackoff b = new RetryBackoff(1_000, 10_000, 0, () -> 0.5);

    assertThat(b.delayMs(1)).isEqualTo(1_000);
    assertThat(b.delayMs(2)).isEqualTo(2_000);
    assertThat(b.delayMs(3)).isEqualTo(4_000);
    assertThat(b.delayMs(4)).isEqualTo(8_000);
    assertThat(b.delayMs(5)).isEqualTo(10_000);
    assertThat(b.delayMs(1_000)).isEqualTo(10_000);
  }

  @Test
  void jitterOnlyAddsAndStaysWithinItsFraction() {
    Random seeded = new Random(42);
    RetryBackoff b = new RetryBackoff(1_000, 60_000, 0.2, seeded::nextDouble);

    long[] delays = new long[200];
    for (int i = 0; i < delays.length; i++) delays[i] = b.delayMs(2);

    assertThat(java.util.Arrays.stream(delays).boxed())
        .allSatisfy(d -> assertThat(d).isBetween(2_000L, 2_400L));
    // Spread out, so that calls failing together do not come back together.
    assertThat(java.util.Arrays.stream(delays).distinct().count()).isGreaterThan(100);
  }

  @Test
  void aSeededRandomGivesTheSameDelays() {
    RetryBackoff b = new RetryBackoff(500, 60_000, 0.2, new Random(7)::nextDouble);
    double r1 = new Random(7).nextDouble();

    assertThat(b.delayMs(3)).isEqualTo(2_000 + (long) (2_000 * 0.2 * r1));
  }
}
