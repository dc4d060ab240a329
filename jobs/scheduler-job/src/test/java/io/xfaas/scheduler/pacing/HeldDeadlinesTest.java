package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The earliest-deadline-first rate of held calls, under times the test sets. */
class HeldDeadlinesTest {
  private static final long NOW = 1_000_000;

  @Test
  void theRequiredRateIsTheTightestDeadlineOverTheCallsDueByIt() {
    HeldDeadlines d = new HeldDeadlines(100);
    assertThat(d.requiredRate(NOW, 0, 1000)).isZero();
    // 10 due in 2 s, 30 more in 10 s: 10/2 = 5/s, 40/10 = 4/s: the first is the tighter.
    for (int i = 0; i < 10; i++) d.add(NOW + 2000, +1);
    for (int i = 0; i < 30; i++) d.add(NOW + 10_000, +1);
    assertThat(d.total()).isEqualTo(40);
    assertThat(d.requiredRate(NOW, 0, 1000)).isCloseTo(5.0, within(1e-9));
    // A lead of 1 s before each deadline: 10/1 = 10/s.
    assertThat(d.requiredRate(NOW, 1000, 1000)).isCloseTo(10.0, within(1e-9));
    // The tight ones gone: 30/10.
    for (int i = 0; i < 10; i++) d.add(NOW + 2000, -1);
    assertThat(d.requiredRate(NOW, 0, 1000)).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void callsPastTheirLatestStartCountAsDueWithinTheLeastTime() {
    HeldDeadlines d = new HeldDeadlines(100);
    for (int i = 0; i < 8; i++) d.add(NOW - 5000, +1);
    assertThat(d.requiredRate(NOW, 0, 2000)).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void aDeadlineCountsAtItsBucketsStartAndUnknownRemovalsAreIgnored() {
    HeldDeadlines d = new HeldDeadlines(1000);
    d.add(NOW + 1999, +1); // counts as due at NOW + 1000
    assertThat(d.requiredRate(NOW, 0, 1)).isCloseTo(1.0, within(1e-9));
    d.add(NOW + 50_000, -1); // held before a restart, never counted
    assertThat(d.total()).isEqualTo(1);
    d.add(NOW + 1500, -1); // the same bucket
    assertThat(d.total()).isZero();
    assertThat(d.requiredRate(NOW, 0, 1)).isZero();
  }

  @Test
  void theCountsRoundTripThroughTheirCheckpointedForm() {
    HeldDeadlines d = new HeldDeadlines(100);
    for (int i = 0; i < 3; i++) d.add(NOW + 2000, +1);
    d.add(NOW + 9000, +1);
    HeldDeadlines back = new HeldDeadlines(100);
    back.restore(ByteBuffer.wrap(d.toBytes()));
    assertThat(back.total()).isEqualTo(4);
    assertThat(back.requiredRate(NOW, 0, 1000)).isEqualTo(d.requiredRate(NOW, 0, 1000));
  }
}
