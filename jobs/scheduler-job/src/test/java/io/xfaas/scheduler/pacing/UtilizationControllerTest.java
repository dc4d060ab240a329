package io.xfaas.scheduler.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When delay-tolerant work waits and when it goes, under a fake clock. */
class UtilizationControllerTest {
  private static final long T0 = 1_000_000;
  private final UtilizationController c =
      new UtilizationController(UtilizationSettings.defaults(500), 1);

  private void report(String sidecar, long at, double utilization, long p50, long p99) {
    c.onFeedback(
        new io.xfaas.records.FunctionFeedback(
            "f",
            sidecar,
            "local",
            at - 1000,
            at,
            100,
            0,
            0,
            0,
            p50,
            p99,
            8,
            4,
            0,
            8,
            8,
            utilization));
  }

  @Test
  void belowTheTargetEverythingFlows() {
    report("s1", T0, 0.3, 50, 100);
    assertThat(c.update(T0)).isNull();
    assertThat(c.holding()).isFalse();
    int released = 0;
    for (int i = 0; i < 10; i++) if (c.trySpareSlot(T0 + 1000)) released++;
    assertThat(released).isPositive();
  }

  @Test
  void atTheTargetDeferrableWorkIsHeldUntilATroughWithHysteresis() {
    report("s1", T0, 0.85, 50, 100);
    assertThat(c.update(T0)).contains("holding");
    assertThat(c.trySpareSlot(T0)).isFalse();
    report("s1", T0 + 1000, 0.75, 50, 100); // below target, inside the hysteresis band
    assertThat(c.update(T0 + 1000)).isNull();
    assertThat(c.holding()).isTrue();
    report("s1", T0 + 2000, 0.5, 50, 100);
    assertThat(c.update(T0 + 2000)).contains("releasing");
    assertThat(c.holding()).isFalse();
  }

  @Test
  void inATroughReleaseIsPacedToTheSpareCapacity() {
    // Two sidecars each completing 100 calls/s at 0.5 utilization: 200 calls/s each when busy;
    // 0.3 * 400 = 120/s spare.
    report("s1", T0, 0.5, 100, 100);
    report("s2", T0, 0.5, 100, 100);
    c.update(T0);
    assertThat(c.capacityPerSecond(T0)).isEqualTo(400.0);
    assertThat(c.spareRate(T0)).isCloseTo(120.0, org.assertj.core.data.Offset.offset(1e-6));
    int released = 0;
    for (long t = T0; t < T0 + 1000; t += 10) {
      for (int i = 0; i < 10; i++) if (c.trySpareSlot(t)) released++;
    }
    assertThat(released).isBetween(110, 135);
  }

  @Test
  void capacityIsMeasuredOnceSidecarsReportAndConfiguredBefore() {
    assertThat(c.capacityPerSecond(T0)).isEqualTo(500.0);
    // Busy: measured, 100 completions/s at 0.5 utilization (Little's law, whatever the tail).
    report("s1", T0, 0.5, 20, 40);
    assertThat(c.capacityPerSecond(T0)).isEqualTo(200.0);
    // Nearly idle: estimated from its slots and the median run time, 8 / 20 ms.
    report("s1", T0 + 1, 0.1, 20, 40);
    assertThat(c.capacityPerSecond(T0 + 1)).isEqualTo(400.0);
    // A silent sidecar stops counting: back to the configured figure.
    assertThat(c.capacityPerSecond(T0 + 10_000)).isEqualTo(500.0);
  }

  @Test
  void latestStartIsDeadlineMinusLearnedRunTimeMinusMargin() {
    report("s1", T0, 0.9, 2000, 3000);
    // p50 2000 ms, spread 1000 ms, least margin 5000 ms.
    assertThat(c.expectedRunMs("f")).isEqualTo(2000);
    assertThat(c.marginMs("f")).isEqualTo(6000);
    assertThat(c.latestStart("f", T0 + 60_000)).isEqualTo(T0 + 60_000 - 2000 - 6000);
    // An unknown function: no run time learned, the least margin only.
    assertThat(c.latestStart("g", T0 + 60_000)).isEqualTo(T0 + 55_000);
  }

  @Test
  void onlyTheHeldCallsDueWithItOrBeforeGoAheadOfACall() {
    report("s1", T0, 0.1, 100, 100); // 80 calls/s
    long alone = c.latestStart("f", T0 + 60_000);
    // A batch of 800 held for a day, and 80 due within the minute: a call due in a minute waits
    // for the 80 (1 s), not for the batch (10 s).
    for (int i = 0; i < 800; i++) c.heldDeadline(T0 + 86_400_000, +1);
    for (int i = 0; i < 80; i++) c.heldDeadline(T0 + 30_000, +1);
    assertThat(c.latestStart("f", T0 + 60_000, 880, T0, 0)).isEqualTo(alone - 1000);
    // A call of the batch itself waits for all of them.
    long batchAlone = c.latestStart("f", T0 + 86_400_000);
    assertThat(c.latestStart("f", T0 + 86_400_000, 880, T0, 0)).isEqualTo(batchAlone - 11_000);
  }

  @Test
  void aBacklogOfHeldWorkStartsEarlierByTheTimeToRunIt() {
    report("s1", T0, 0.1, 100, 100); // nearly idle: 8 slots / 100 ms = 80 calls/s
    long alone = c.latestStart("f", T0 + 60_000);
    // 800 held calls take 10 s of the region's capacity: the release starts 10 s earlier.
    assertThat(c.latestStart("f", T0 + 60_000, 800, T0, 0)).isEqualTo(alone - 10_000);
    assertThat(c.latestStart("f", T0 + 60_000, 0, T0, 0)).isEqualTo(alone);
  }

  @Test
  void callsDueByTheirLatestStartLeaveAtTheDrainRateNotInOneBurst() {
    report("s1", T0, 0.1, 100, 100); // 80 calls/s; 60 calls/s of other work leave 20
    assertThat(c.drainRate(T0, 60)).isEqualTo(20.0);
    // A burst of at most a tenth of a second's worth (2 calls), then one call every 50 ms.
    assertThat(c.tryDrainDue("f", T0, 60)).isTrue();
    assertThat(c.tryDrainDue("f", T0, 60)).isTrue();
    assertThat(c.tryDrainDue("f", T0, 60)).isFalse();
    assertThat(c.nextDrainAt("f", T0, 60)).isEqualTo(T0 + 50);
    assertThat(c.tryDrainDue("f", T0 + 49, 60)).isFalse();
    assertThat(c.tryDrainDue("f", T0 + 50, 60)).isTrue();
    assertThat(c.tryDrainDue("f", T0 + 50, 60)).isFalse();
  }

  @Test
  void withNoCapacityKnownDueCallsAreNotHeldBack() {
    UtilizationController none =
        new UtilizationController(UtilizationSettings.defaults(0), 1); // configured 0, no reports
    for (int i = 0; i < 5; i++) assertThat(none.tryDrainDue("f", T0, 0)).isTrue();
  }

  @Test
  void theDrainCountsOnlyOnTheCapacityThatCriticalAndNormalWorkLeaves() {
    report("s1", T0, 0.1, 100, 100); // 80 calls/s
    long alone = c.latestStart("f", T0 + 60_000);
    // 60 calls/s of other work leave 20 calls/s: 800 held calls take 40 s.
    assertThat(c.latestStart("f", T0 + 60_000, 800, T0, 60)).isEqualTo(alone - 40_000);
    // Other work beyond the capacity: still counts on a tenth of it (8 calls/s: 100 s), not on
    // none.
    assertThat(c.latestStart("f", T0 + 60_000, 800, T0, 500)).isEqualTo(alone - 100_000);
  }

  @Test
  void callsQueuedAtTheSidecarsForTheFunctionMoveItsLatestStartEarlier() {
    report("s1", T0, 0.1, 100, 100); // f: 100 completions/s, nothing queued
    long alone = c.latestStart("f", T0 + 60_000, 0, T0, 0);
    assertThat(c.queueWaitMs("f", T0)).isZero();
    // f's window is full at two sidecars: 150 calls queued, 100 + 50 completions/s: 1 s of wait.
    c.onFeedback(Feedback.of("f", "s1", T0 + 500, 100, 0, 100, 4, 4, 100, 8, 0.9));
    c.onFeedback(Feedback.of("f", "s2", T0 + 500, 50, 0, 100, 4, 4, 50, 8, 0.9));
    assertThat(c.queueWaitMs("f", T0 + 500)).isEqualTo(1000);
    assertThat(c.queueWaitMs("g", T0 + 500)).as("another function's queue").isZero();
    assertThat(c.latestStart("f", T0 + 60_000, 0, T0 + 500, 0)).isLessThanOrEqualTo(alone - 1000);
    // Queued with nothing completing: one call at a time at the learned run time (100 ms).
    c.onFeedback(Feedback.of("f", "s1", T0 + 900, 0, 0, 100, 4, 4, 30, 8, 0.9));
    c.onFeedback(Feedback.of("f", "s2", T0 + 900, 0, 0, 100, 4, 4, 0, 8, 0.9));
    assertThat(c.queueWaitMs("f", T0 + 900)).isEqualTo(3000);
    // Stale reports stop counting.
    assertThat(c.queueWaitMs("f", T0 + 60_000)).isZero();
  }

  @Test
  void heldCallsOfAFunctionWithANarrowWindowDrainAtItsRateNotThePools() {
    report("s1", T0, 0.1, 100, 100); // the pool: 8 slots / 100 ms = 80 calls/s
    long alone = c.latestStart("f", T0 + 60_000);
    // f's window at s1 is 8: 80 calls/s, the pool's rate; 800 held calls take 10 s.
    assertThat(c.functionCapacityPerSecond("f", T0)).isEqualTo(80.0);
    assertThat(c.latestStart("f", T0 + 60_000, 800, T0, 0)).isEqualTo(alone - 10_000);
    // batch runs 2 at a time (its window) at 100 ms on the same sidecar: 20 calls/s; 800 held
    // calls of it take 40 s, not the pool's 10.
    c.onFeedback(Feedback.of("batch", "s1", T0, 20, 0, 100, 2, 2, 0, 8, 0.1));
    assertThat(c.functionCapacityPerSecond("batch", T0)).isEqualTo(20.0);
    assertThat(c.latestStart("batch", T0 + 60_000, 800, T0, 0))
        .isEqualTo(c.latestStart("batch", T0 + 60_000) - 40_000);
    // A window wider than the sidecar's 8 slots counts as 8.
    c.onFeedback(Feedback.of("wide", "s1", T0, 20, 0, 100, 32, 8, 0, 8, 0.1));
    assertThat(c.functionCapacityPerSecond("wide", T0)).isEqualTo(80.0);
    // Where its calls queue, what it completed: 12 calls/s, though its window says 20.
    c.onFeedback(Feedback.of("batch", "s1", T0 + 1, 12, 0, 100, 2, 2, 30, 8, 0.1));
    assertThat(c.functionCapacityPerSecond("batch", T0 + 1)).isEqualTo(12.0);
    // Or where the sidecar's slots are nearly all busy: 9 calls/s, nothing queued.
    c.onFeedback(Feedback.of("batch", "s1", T0 + 2, 9, 0, 100, 2, 2, 0, 8, 0.95));
    assertThat(c.functionCapacityPerSecond("batch", T0 + 2)).isEqualTo(9.0);
    // A function no sidecar has reported: the pool's rate.
    assertThat(c.functionCapacityPerSecond("new", T0)).isNaN();
  }

  @Test
  void dueCallsOfANarrowFunctionLeaveNoFasterThanItRuns() {
    report("s1", T0, 0.1, 100, 100); // the pool: 80 calls/s
    // batch: window 2 at 100 ms, 20 calls/s; its burst is 2 calls, then one every 50 ms, while
    // f's calls still drain at the pool's rate.
    c.onFeedback(Feedback.of("batch", "s1", T0, 20, 0, 100, 2, 2, 0, 8, 0.1));
    int batch = 0;
    int f = 0;
    for (long t = T0; t < T0 + 1000; t += 5) {
      if (c.tryDrainDue("batch", t, 0)) batch++;
      if (c.tryDrainDue("f", t, 0)) f++;
    }
    assertThat(batch).isBetween(19, 23);
    assertThat(f).isGreaterThan(40);
  }

  @Test
  void aNarrowFunctionsDueCallWaitsForItsOwnBudget() {
    report("s1", T0, 0.1, 100, 100); // the pool: 80 calls/s, a burst of 8
    c.onFeedback(Feedback.of("batch", "s1", T0, 20, 0, 100, 2, 2, 0, 8, 0.1)); // 20/s, burst 2
    assertThat(c.tryDrainDue("batch", T0, 0)).isTrue();
    assertThat(c.tryDrainDue("batch", T0, 0)).isTrue();
    assertThat(c.tryDrainDue("batch", T0, 0)).as("the pool has room, batch not").isFalse();
    assertThat(c.nextDrainAt("batch", T0, 0)).isEqualTo(T0 + 50);
    assertThat(c.tryDrainDue("f", T0, 0)).isTrue();
  }

  @Test
  void heldWorkOfAFunctionFloodedByNormalCallsWaitsUntilTheFunctionHasRunThem() {
    report("s1", T0, 0.1, 100, 100); // the pool: 80 calls/s, mostly spare
    c.onFeedback(Feedback.of("batch", "s1", T0, 20, 0, 100, 2, 2, 0, 8, 0.1)); // 20/s, burst 2
    long alone = c.latestStart("batch", T0 + 60_000, 0, T0, 0);
    // 40 NORMAL calls of batch dispatched at once: 38 beyond its room, 1.9 s of its time.
    for (int i = 0; i < 40; i++) c.dispatched(io.xfaas.records.Criticality.NORMAL, "batch", T0);
    assertThat(c.trySpareSlot("batch", T0)).as("batch's held work waits").isFalse();
    assertThat(c.trySpareSlot("f", T0)).as("another function's goes").isTrue();
    assertThat(c.latestStart("batch", T0 + 60_000, 0, T0, 0)).isEqualTo(alone - 1900);
    assertThat(c.nextSpareAt("batch", T0)).isEqualTo(T0 + 1950);
    assertThat(c.trySpareSlot("batch", T0 + 1900)).isFalse();
    assertThat(c.trySpareSlot("batch", T0 + 1950)).isTrue();
    // A due call is paced by its own bucket: the NORMAL flood does not keep it from its deadline.
    assertThat(c.tryDrainDue("batch", T0, 0)).isTrue();
  }
}
