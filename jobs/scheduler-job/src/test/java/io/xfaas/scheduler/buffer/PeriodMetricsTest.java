package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.SchedulingMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PeriodMetricsTest {
  private static final long T0 = 1_800_000_000_000L; // a whole minute

  @Test
  void periodsAlignToTheIntervalAndOneSweepClosesThemAll() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    PeriodMetrics.Period a = m.open("a", T0 + 5_000);
    a.count(Tally.ARRIVED);
    a.dispatchedAfter(40);
    a.waiting(0);
    PeriodMetrics.Period b = m.open("b", T0 + 59_999);
    b.count(Tally.ARRIVED);
    b.count(Tally.THROTTLED);
    b.waiting(1);
    assertThat(m.open("a", T0 + 6_000)).isSameAs(a);
    assertThat(m.nextBoundary()).isEqualTo(T0 + 60_000);

    List<SchedulingMetrics> out = new ArrayList<>();
    m.sweep(T0 + 59_999, out::add);
    assertThat(out).isEmpty();
    m.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched() + ":" + x.buffered())
        .containsExactlyInAnyOrder("a:1:1:0", "b:1:0:1");
    SchedulingMetrics ofA = out.stream().filter(x -> x.tenant().equals("a")).findFirst().get();
    assertThat(ofA.periodStart()).isEqualTo(T0);
    assertThat(ofA.periodEnd()).isEqualTo(T0 + 60_000);
    assertThat(ofA.queueDelayMaxMs()).isEqualTo(40);
    assertThat(out.stream().filter(x -> x.tenant().equals("b")).findFirst().get().throttled())
        .isEqualTo(1);
    // b still has work waiting: its next period is open and reported even if nothing happens.
    assertThat(m.get("a")).isNull();
    assertThat(m.nextBoundary()).isEqualTo(T0 + 120_000);
    out.clear();
    m.sweep(T0 + 180_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + "@" + (x.periodStart() - T0) + ":" + x.buffered())
        .containsExactly("b@60000:1", "b@120000:1");
  }

  @Test
  void openPeriodsSurviveASnapshot() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    PeriodMetrics.Period p = m.open("a", T0);
    p.count(Tally.ARRIVED);
    p.count(Tally.DUPLICATE);
    p.dispatchedAfter(7);
    p.dispatchedAfter(900);
    p.waiting(3);
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(List.of(m.snapshotBytes()));
    List<SchedulingMetrics> before = new ArrayList<>();
    List<SchedulingMetrics> after = new ArrayList<>();
    m.sweep(T0 + 60_000, before::add);
    restored.sweep(T0 + 60_000, after::add);
    assertThat(after).isEqualTo(before);
    assertThat(after.get(0).duplicates()).isEqualTo(1);
    assertThat(after.get(0).queueDelayMaxMs()).isEqualTo(900);
  }

  /**
   * With many quiet periods, a snapshot is the earlier one's bytes plus the one that changed: the
   * quiet ones are neither encoded nor packed again.
   */
  @Test
  void aSnapshotAddsOnlyThePeriodsThatChangedSinceTheLastOne() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    for (int i = 0; i < 100; i++) m.open("quiet" + i, T0).count(Tally.ARRIVED);
    PeriodMetrics.Period busy = m.open("busy", T0);
    busy.count(Tally.ARRIVED);
    byte[] first = m.snapshotBytes();
    busy.dispatchedAfter(12);
    byte[] second = m.snapshotBytes();
    byte[] third = m.snapshotBytes(); // nothing changed

    assertThat(Arrays.copyOf(second, first.length)).isEqualTo(first);
    assertThat(second.length - first.length).isLessThan(first.length / 50);
    assertThat(third).isEqualTo(second);
    assertThat(sweptFrom(second))
        .contains("busy:1:1")
        .contains("quiet7:1:0")
        .hasSize(101)
        .doesNotHaveDuplicates();
  }

  /** A period closed after the base was taken does not come back with a restore. */
  @Test
  void closedPeriodsStayClosedAfterARestore() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    for (int i = 0; i < 100; i++) m.open("quiet" + i, T0 + 70_000).count(Tally.ARRIVED);
    m.open("done", T0).count(Tally.ARRIVED);
    PeriodMetrics.Period waiting = m.open("waiting", T0);
    waiting.count(Tally.ARRIVED);
    waiting.waiting(2);
    m.snapshotBytes();
    List<SchedulingMetrics> emitted = new ArrayList<>();
    m.sweep(T0 + 60_000, emitted::add); // closes done; rolls waiting into its next period
    assertThat(emitted).extracting(SchedulingMetrics::tenant).contains("done", "waiting");
    m.open("waiting", T0 + 61_000).count(Tally.THROTTLED);
    byte[] after = m.snapshotBytes();

    List<String> restored = sweptFrom(after);
    assertThat(restored).noneMatch(x -> x.startsWith("done:"));
    assertThat(restored).contains("waiting:0:0").hasSize(101);
    PeriodMetrics again = new PeriodMetrics("local", 60_000);
    again.restore(List.of(after));
    List<SchedulingMetrics> next = new ArrayList<>();
    again.sweep(T0 + 120_000, next::add);
    assertThat(next).extracting(SchedulingMetrics::tenant).doesNotContain("done").hasSize(101);
    assertThat(next)
        .filteredOn(x -> x.tenant().equals("waiting"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.tenant()).isEqualTo("waiting");
              assertThat(x.periodStart()).isEqualTo(T0 + 60_000);
              assertThat(x.throttled()).isEqualTo(1);
              assertThat(x.buffered()).isEqualTo(2);
            });
  }

  /** When most periods change, the snapshot starts again from a new base: the same periods. */
  @Test
  void aNewBaseHoldsWhatTheOldBaseAndItsChangesHeld() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    for (int i = 0; i < 10; i++) m.open("t" + i, T0).count(Tally.ARRIVED);
    byte[] first = m.snapshotBytes();
    for (int i = 0; i < 10; i++) m.open("t" + i, T0).count(Tally.REJECTED);
    byte[] second = m.snapshotBytes();
    assertThat(Arrays.copyOf(second, Math.min(first.length, second.length))).isNotEqualTo(first);
    assertThat(sweptFrom(second))
        .containsExactlyInAnyOrder(
            IntStream.range(0, 10).mapToObj(i -> "t" + i + ":1:0").toArray(String[]::new));
  }

  /** With no snapshot taken (the simulator), closed periods are not kept for one. */
  @Test
  void withoutSnapshotsTheChangesStayBounded() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    for (int minute = 0; minute < 20; minute++) {
      long at = T0 + minute * 60_000L;
      for (int i = 0; i < 500; i++) m.open("t" + minute + "-" + i, at).count(Tally.ARRIVED);
      m.sweep(at + 60_000, x -> {});
    }
    assertThat(m.pendingChanges()).isLessThanOrEqualTo(1024 + 500);
    m.open("late", T0 + 1_300_000).count(Tally.ARRIVED);
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(List.of(m.snapshotBytes()));
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 10_000_000, out::add);
    assertThat(out).extracting(SchedulingMetrics::tenant).containsExactly("late");
  }

  /** Checkpoints of earlier versions: one entry per element, or one packed array of them. */
  @Test
  void earlierLayoutsRestore() {
    byte[] a = onlyEntry(periodOf("a", Tally.ARRIVED));
    byte[] b = onlyEntry(periodOf("b", Tally.REJECTED));
    byte[] packed = new byte[3 + a.length];
    packed[0] = 2; // the packed layout: a count, then each entry with its length
    packed[1] = 1;
    packed[2] = (byte) a.length;
    System.arraycopy(a, 0, packed, 3, a.length);

    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(List.of(packed, b, new byte[] {2, 0}));
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.rejected())
        .containsExactlyInAnyOrder("a:1:0", "b:0:1");
  }

  private static byte[] periodOf(String tenant, Tally tally) {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open(tenant, T0).count(tally);
    return m.snapshotBytes();
  }

  /** The one entry of a snapshot of one period: after the layout byte and the entry's length. */
  private static byte[] onlyEntry(byte[] snapshot) {
    assertThat(snapshot[1]).isEqualTo((byte) (snapshot.length - 2));
    return Arrays.copyOfRange(snapshot, 2, snapshot.length);
  }

  /** What a restore of {@code snapshot} emits at the next boundaries: tenant:arrived:dispatched. */
  private static List<String> sweptFrom(byte[] snapshot) {
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(List.of(snapshot));
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 600_000, out::add);
    return out.stream()
        .filter(x -> x.periodStart() <= T0 + 60_000)
        .map(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched())
        .toList();
  }
}
