package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsEachUnit() {
    assertThat(Durations.parseOrNone("500ms")).hasValue(500);
    assertThat(Durations.parseOrNone("30s")).hasValue(30_000);
    assertThat(Durations.parseOrNone("10m")).hasValue(600_000);
    assertThat(Durations.parseOrNone("2h")).hasValue(7_200_000);
    assertThat(Durations.parseOrNone("1d")).hasValue(86_400_000);
    assertThat(Durations.parseOrNone(" 10M ")).hasValue(600_000);
  }

  @Test
  void noneIsNoDeadline() {
    assertThat(Durations.parseOrNone("none")).isEqualTo(OptionalLong.empty());
    assertThat(Durations.parseOrNone("NONE")).isEmpty();
  }

  @Test
  void refusesWhatIsNotADuration() {
    for (String bad : new String[] {"", "10", "ms", "10x", "-5s", "1.5h", "10 m", "0s", null}) {
      assertThatThrownBy(() -> Durations.parseOrNone(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Durations.parseOrNone("99999999999999999999d"))
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> Durations.parseOrNone("9999999999999999d"))
        .hasMessageContaining("too long");
  }

  @Test
  void formatsInTheLargestExactUnitAndReadsBack() {
    assertThat(Durations.format(600_000)).isEqualTo("10m");
    assertThat(Durations.format(90_000)).isEqualTo("90s");
    assertThat(Durations.format(1_500)).isEqualTo("1500ms");
    assertThat(Durations.format(7_200_000)).isEqualTo("2h");
    assertThat(Durations.format(86_400_000)).isEqualTo("1d");
    for (long ms : new long[] {1, 999, 1_000, 61_000, 3_600_000, 172_800_000}) {
      assertThat(Durations.parseOrNone(Durations.format(ms))).hasValue(ms);
    }
  }
}
