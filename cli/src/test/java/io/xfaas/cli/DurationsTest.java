package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "30s, 30000",
    "10m, 600000",
    "2h, 7200000",
    "1d, 86400000",
    "' 10M ', 600000"
  })
  void readsEachUnit(String text, long ms) {
    assertThat(Durations.parseOrNone(text)).hasValue(ms);
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

  @ParameterizedTest
  @CsvSource({"600000, 10m", "90000, 90s", "1500, 1500ms", "7200000, 2h", "86400000, 1d"})
  void formatsInTheLargestExactUnit(long ms, String text) {
    assertThat(Durations.format(ms)).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 999, 1_000, 61_000, 3_600_000, 172_800_000})
  void aFormattedDurationReadsBack(long ms) {
    assertThat(Durations.parseOrNone(Durations.format(ms))).hasValue(ms);
  }
}
