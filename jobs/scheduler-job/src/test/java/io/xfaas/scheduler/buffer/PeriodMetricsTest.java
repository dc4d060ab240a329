package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.SchedulingMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  void openPeriodsSurviveAFlushAndRestore() throws Exception {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    PeriodMetrics.Period p = m.open("a", T0);
    p.count(Tally.ARRIVED);
    p.count(Tally.DUPLICATE);
    p.dispatchedAfter(7);
    p.dispatchedAfter(900);
    p.waiting(3);
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    drain(m).values().forEach(restored::restore);
    List<SchedulingMetrics> before = new ArrayList<>();
    List<SchedulingMetrics> after = new ArrayList<>();
    m.sweep(T0 + 60_000, before::add);
    restored.sweep(T0 + 60_000, after::add);
    assertThat(after).isEqualTo(before);
    assertThat(after.get(0).duplicates()).isEqualTo(1);
    assertThat(after.get(0).queueDelayMaxMs()).isEqualTo(900);
  }

  @Test
  void aFlushWritesOnlyThePeriodsThatChangedSinceTheLastOne() throws Exception {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open("quiet", T0).count(Tally.ARRIVED);
    PeriodMetrics.Period busy = m.open("busy", T0);
    busy.count(Tally.ARRIVED);
    assertThat(drain(m)).containsOnlyKeys("quiet", "busy");
    busy.dispatchedAfter(12);
    busy.waiting(0); // unchanged: not a change
    Map<String, byte[]> second = drain(m);
    assertThat(second).containsOnlyKeys("busy");
    assertThat(drain(m)).isEmpty();
    // What was written again holds the change.
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(second.get("busy"));
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched())
        .containsExactly("busy:1:1");
  }

  /** Keyed state keeps no closed period: a restore must not report one twice. */
  @Test
  void aClosedPeriodIsDeletedAndOneThatNeverReachedStateIsNotWritten() throws Exception {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open("stored", T0).count(Tally.ARRIVED);
    m.open("rolling", T0).waiting(2);
    drain(m);
    m.open("brief", T0 + 1_000).count(Tally.ARRIVED);
    m.sweep(T0 + 60_000, x -> {});
    Map<String, byte[]> flushed = drain(m);
    assertThat(flushed).containsOnlyKeys("stored", "rolling");
    assertThat(flushed.get("stored")).as("deleted").isNull();

    // The rolled period replaced the stored one; when it closes in turn, the key is cleared.
    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restore(flushed.get("rolling"));
    m.get("rolling").waiting(0);
    m.sweep(T0 + 120_000, x -> {});
    assertThat(drain(m)).containsOnlyKeys("rolling").containsEntry("rolling", null);
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 120_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + "@" + (x.periodStart() - T0) + ":" + x.buffered())
        .containsExactly("rolling@60000:2");
    assertThat(m.isEmpty()).isTrue();
  }

  /**
   * Release 0.1.0 checkpointed the periods as operator state (one packed array per subtask, or an
   * entry each); restored, they go to keyed state at the next flush.
   */
  @Test
  void periodsOfTheOperatorStateOfRelease010AreTakenBackAndWrittenUnderTheirTenants()
      throws Exception {
    PeriodMetrics m = new PeriodMetrics("local", 60_000);
    m.open("a", T0).count(Tally.ARRIVED);
    m.open("b", T0).dispatchedAfter(40);
    m.open("c", T0).count(Tally.REJECTED);
    Map<String, byte[]> entries = drain(m);
    Bytes.Writer packed = new Bytes.Writer(256).put(2).varInt(2);
    for (String t : List.of("a", "b")) packed.varInt(entries.get(t).length).bytes(entries.get(t));

    PeriodMetrics restored = new PeriodMetrics("local", 60_000);
    restored.restoreLegacy(List.of(packed.toArray(), entries.get("c")));
    assertThat(drain(restored)).containsOnlyKeys("a", "b", "c");
    List<SchedulingMetrics> out = new ArrayList<>();
    restored.sweep(T0 + 60_000, out::add);
    assertThat(out)
        .extracting(x -> x.tenant() + ":" + x.arrived() + ":" + x.dispatched() + ":" + x.rejected())
        .containsExactlyInAnyOrder("a:1:0:0", "b:0:1:0", "c:0:0:1");
  }

  /** What {@link PeriodMetrics#drain} writes, by tenant (null: deleted). */
  private static Map<String, byte[]> drain(PeriodMetrics m) throws Exception {
    Map<String, byte[]> out = new HashMap<>();
    m.drain(out::put);
    return out;
  }
}
