package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.SchedulingMetrics;
import java.util.ArrayList;
import java.util.List;
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
    restored.restore(m.snapshot());
    List<SchedulingMetrics> before = new ArrayList<>();
    List<SchedulingMetrics> after = new ArrayList<>();
    m.sweep(T0 + 60_000, before::add);
    restored.sweep(T0 + 60_000, after::add);
    assertThat(after).isEqualTo(before);
    assertThat(after.get(0).duplicates()).isEqualTo(1);
    assertThat(after.get(0).queueDelayMaxMs()).isEqualTo(900);
  }

  @Test
  void aSnapshotEncodesOnlyThePeriodsThatChangedSinceTheLastOne() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open("quiet", T0).count(Tally.ARRIVED);
    PeriodMetrics.Period busy = m.open("busy", T0);
    busy.count(Tally.ARRIVED);
    List<byte[]> first = m.snapshot();
    busy.dispatchedAfter(12);
    List<byte[]> second = m.snapshot();

    byte[] quiet1 = first.stream().filter(b -> tenantOf(b).equals("quiet")).findFirst().get();
    byte[] quiet2 = second.stream().filter(b -> tenantOf(b).equals("quiet")).findFirst().get();
    byte[] busy1 = first.stream().filter(b -> tenantOf(b).equals("busy")).findFirst().get();
    byte[] busy2 = second.stream().filter(b -> tenantOf(b).equals("busy")).findFirst().get();
    assertThat(quiet2).isSameAs(quiet1);
    assertThat(busy2).isNotSameAs(busy1);
    // What was taken again holds the change.
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(second);
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched())
        .containsExactlyInAnyOrder("quiet:1:0", "busy:1:1");
  }

  /** The operator state holds one packed array per subtask; a restore may mix both layouts. */
  @Test
  void packedPeriodsRestoreAsTheEntriesDo() {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open("a", T0).count(Tally.ARRIVED);
    m.open("b", T0).dispatchedAfter(40);
    PeriodMetrics other = new PeriodMetrics("local", 60_000);
    other.open("c", T0).count(Tally.REJECTED);

    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(List.of(PeriodMetrics.pack(m.snapshot()), other.snapshot().get(0)));
    PeriodMetrics empty = new PeriodMetrics("local", 60_000);
    empty.restore(List.of(PeriodMetrics.pack(List.of())));

    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched() + ":" + x.rejected())
        .containsExactlyInAnyOrder("a:1:0:0", "b:0:1:0", "c:0:0:1");
    assertThat(empty.isEmpty()).isTrue();
  }

  private static String tenantOf(byte[] entry) {
    PeriodMetrics one = new PeriodMetrics("local", 60_000);
    one.restore(List.of(entry));
    List<SchedulingMetrics> out = new ArrayList<>();
    one.sweep(Long.MAX_VALUE / 2, out::add);
    return out.get(0).tenant();
  }
}
