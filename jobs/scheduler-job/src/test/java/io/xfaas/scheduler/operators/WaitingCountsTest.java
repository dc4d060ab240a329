package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingCountsTest {

  @Test
  void aSubtaskFindsWhatItWroteAtTheSameParallelism() {
    List<byte[]> entries =
        List.of(
            WaitingCounts.pack(0, 2, new long[] {1, 2, 3}),
            WaitingCounts.pack(1, 2, new long[] {4, 5, 6}));

    assertThat(WaitingCounts.find(entries, 1, 2)).containsExactly(4, 5, 6);
    assertThat(WaitingCounts.find(entries, 0, 2)).containsExactly(1, 2, 3);
  }

  @Test
  void afterARescaleNothingMatches() {
    List<byte[]> entries = List.of(WaitingCounts.pack(0, 2, new long[] {1, 2, 3}));

    assertThat(WaitingCounts.find(entries, 0, 4)).isNull();
    assertThat(WaitingCounts.find(entries, 1, 2)).isNull();
    assertThat(WaitingCounts.find(List.of(), 0, 1)).isNull();
  }
}
