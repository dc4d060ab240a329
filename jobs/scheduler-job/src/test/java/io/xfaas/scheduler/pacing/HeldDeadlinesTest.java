package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The earliest-deadline-first check of held calls, under times the test sets. */
class HeldDeadlinesTest {
  private static final long NOW = 1_000_000;

  /** Room at a flat {@code perSecond}: the check then asks for at least the tightest rate. */
  private static HeldDeadlines.Room flat(double perSecond) {
    return (from, until) -> perSecond * (until - from) / 1000.0;
  }

  @Test
  void aFlatRoomFitsFromTheTightestDeadlinesRateOverTheCallsDueByIt() {
    HeldDeadlines d = new HeldDeadlines(100);
    assertThat(d.fits(NOW, 0, 1000, flat(0))).isTrue();
    // 10 due in 2 s, 30 more in 10 s: 10/2 = 5/s, 40/10 = 4/s: the first is the tighter.
    for (int i = 0; i < 10; i++) d.add(NOW + 2000, +1);
    for (int i = 0; i < 30; i++) d.add(NOW + 10_000, +1);
    assertThat(d.total()).isEqualTo(40);
    assertThat(d.fits(NOW, 0, 1000, flat(5.0))).isTrue();
    assertThat(d.fits(NOW, 0, 1000, flat(4.9))).isFalse();
    // A lead of 1 s before each deadline: 10/1 = 10/s.
    assertThat(d.fits(NOW, 1000, 1000, flat(10.0))).isTrue();
    assertThat(d.fits(NOW, 1000, 1000, flat(9.9))).isFalse();
    // The tight ones gone: 30/10.
    for (int i = 0; i < 10; i++) d.add(NOW + 2000, -1);
    assertThat(d.fits(NOW, 0, 1000, flat(3.0))).isTrue();
    assertThat(d.fits(NOW, 0, 1000, flat(2.9))).isFalse();
  }

  @Test
  void roomAfterADeadlineDoesNotCountForIt() {
    HeldDeadlines d = new HeldDeadlines(100);
    for (int i = 0; i < 10; i++) d.add(NOW + 2000, +1);
    // 20 calls of room, all of it in the trough after the deadline.
    HeldDeadlines.Room late =
        (from, until) -> Math.max(0, until - Math.max(from, NOW + 3000)) / 100.0;
    assertThat(d.fits(NOW, 0, 1000, late)).isFalse();
    HeldDeadlines.Room early =
        (from, until) -> Math.max(0, Math.min(until, NOW + 1000) - from) / 50.0;
    assertThat(d.fits(NOW, 0, 1000, early)).isTrue();
  }

  @Test
  void callsPastTheirLatestStartRaiseNothingByThemselvesButGoBeforeTheLaterOnes() {
    HeldDeadlines d = new HeldDeadlines(100);
    for (int i = 0; i < 8; i++) d.add(NOW - 5000, +1);
    // They leave by their latest starts: no room asked of the level for them alone.
    assertThat(d.fits(NOW, 0, 2000, flat(0))).isTrue();
    // 2 more due in 10 s: the 8 go first, so 10 calls in 10 s.
    for (int i = 0; i < 2; i++) d.add(NOW + 10_000, +1);
    assertThat(d.fits(NOW, 0, 2000, flat(1.0))).isTrue();
    assertThat(d.fits(NOW, 0, 2000, flat(0.9))).isFalse();
  }

  @Test
  void aDeadlineCountsAtItsBucketsStartAndUnknownRemovalsAreIgnored() {
    HeldDeadlines d = new HeldDeadlines(1000);
    d.add(NOW + 1999, +1); // counts as due at NOW + 1000
    assertThat(d.fits(NOW, 0, 1, flat(1.0))).isTrue();
    assertThat(d.fits(NOW, 0, 1, flat(0.9))).isFalse();
    d.add(NOW + 50_000, -1); // held before a restart, never counted
    assertThat(d.total()).isEqualTo(1);
    d.add(NOW + 1500, -1); // the same bucket
    assertThat(d.total()).isZero();
    assertThat(d.fits(NOW, 0, 1, flat(0))).isTrue();
  }

  @Test
  void theCountsRoundTripThroughTheirCheckpointedForm() {
    HeldDeadlines d = new HeldDeadlines(100);
    for (int i = 0; i < 3; i++) d.add(NOW + 2000, +1);
    d.add(NOW + 9000, +1);
    HeldDeadlines back = new HeldDeadlines(100);
    back.restore(ByteBuffer.wrap(d.toBytes()));
    assertThat(back.total()).isEqualTo(4);
    // 3 due in 2 s: 1.5/s.
    assertThat(back.fits(NOW, 0, 1000, flat(1.5))).isTrue();
    assertThat(back.fits(NOW, 0, 1000, flat(1.4))).isFalse();
  }
}
