package io.xfaas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A kind's warm-up lasts about as long as a measured run, whatever its first short run took. */
class WarmUpTest {
  private static final Duration FIFTEEN = Duration.ofSeconds(15);
  private static final long CAP = 1_500_000;

  @Test
  void theRunAfterTheFirstFillsWhatIsLeftOfTheDuration() {
    // 100,000 records at 20,000/s took 5 s: 10 s are left, 200,000 records at that rate.
    assertThat(BenchRunner.warmUpRecords(20_000, FIFTEEN, 5_000_000_000L, CAP)).isEqualTo(200_000);
  }

  @Test
  void neverLessThanTheFirstRunNorMoreThanAMeasuredRunsCap() {
    assertThat(BenchRunner.warmUpRecords(20_000, FIFTEEN, 14_900_000_000L, CAP)).isEqualTo(100_000);
    assertThat(BenchRunner.warmUpRecords(400_000, FIFTEEN, 250_000_000L, CAP)).isEqualTo(CAP);
  }
}
