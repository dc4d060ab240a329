package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusLineTest {
  private static final long T0 = 10_000;
  private static final long TWO_SECONDS_LATER = 12_000;

  @Test
  void showsEachCountWithItsRatePerSecond() {
    StatusSnapshot before = new StatusSnapshot(T0, 100, 10, 90, 80, 2, 1, 0, 0, 3, 0);
    StatusSnapshot now = new StatusSnapshot(TWO_SECONDS_LATER, 140, 6, 134, 120, 4, 1, 0, 0, 5, 0);

    assertThat(StatusLine.format(now, before))
        .isEqualTo(
            "submitted 140 (20.0/s) | buffered 6 (-2.0/s) | dispatched 134 (22.0/s)"
                + " | succeeded 120 (20.0/s) | failed 4 (1.0/s) | expired 1 (0.0/s)"
                + " | dlq 5 (1.0/s)");
  }

  @Test
  void namesUnreadableRecordsOnlyWhenThereAreSome() {
    StatusSnapshot before = StatusSnapshot.empty(T0);
    StatusSnapshot now = new StatusSnapshot(TWO_SECONDS_LATER, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);

    assertThat(StatusLine.format(before, before)).doesNotContain("unreadable");
    assertThat(StatusLine.format(now, before)).endsWith(" | unreadable 2");
  }

  @Test
  void snapshotsTakenInTheSameMillisecondDoNotDivideByZero() {
    StatusSnapshot s = new StatusSnapshot(T0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    assertThat(StatusLine.format(s, StatusSnapshot.empty(T0))).startsWith("submitted 5 (5000.0/s)");
  }
}
