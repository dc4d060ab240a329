package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.pacing.FunctionPacer;
import io.xfaas.scheduler.pacing.PacingSettings;
import io.xfaas.scheduler.pacing.UtilizationController;
import io.xfaas.scheduler.pacing.UtilizationSettings;
import io.xfaas.scheduler.sim.HeapTenantStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner on a heap queue: what goes, what parks, what is held, in the buffer's order. */
class DispatchPlannerTest {
  private static final long NOW = 1_800_000_000_000L;
  private final HeapTenantStore store = new HeapTenantStore();
  private final TenantRecord record = TenantRecord.empty();
  private final FunctionPacer pacer = new FunctionPacer(PacingSettings.defaults(), 1);
  private final UtilizationController utilization =
      new UtilizationController(UtilizationSettings.defaults(1000), 1);
  private final DispatchPlanner planner =
      new DispatchPlanner(pacer, utilization, new SubtaskLoad(NOW));

  private Invocation waiting(String id, String function, Criticality c, Long deadline) {
    Invocation inv =
        new Invocation(
            id, "acme", function, c, 0, NOW - 10, null, deadline, 1, 3, null, Map.of(), null,
            Map.of());
    long seq = record.takeSeq();
    store.put(
        TenantQueue.Place.READY,
        BufferKeys.order(inv, deadline == null ? Long.MAX_VALUE : deadline, seq),
        inv);
    record.buffered(1);
    return inv;
  }

  private Quota quota(int burst, int concurrency) {
    TenantSettings t =
        new TenantSettings("acme", 1, burst, concurrency, 1, 100, List.of(), null, 0);
    return Quota.of("acme", t, record, new FairShare(1000, 0), utilization.holding(), NOW);
  }

  private static List<String> ids(DispatchPlanner.Plan p) {
    return p.go().stream().map(x -> x.inv().id()).toList();
  }

  @Test
  void asManyGoAsTokensAndSlotsAllowInTheBuffersOrder() {
    waiting("normal", "echo", Criticality.NORMAL, null);
    waiting("critical", "echo", Criticality.CRITICAL, null);
    waiting("normal-deadline", "echo", Criticality.NORMAL, NOW + 5000);
    assertThat(ids(planner.plan(record, quota(2, 10), store, NOW)))
        .containsExactly("critical", "normal-deadline");
    assertThat(ids(planner.plan(record, quota(10, 1), store, NOW))).containsExactly("critical");
    assertThat(planner.plan(record, quota(10, 0), store, NOW)).isSameAs(DispatchPlanner.Plan.NONE);
  }

  @Test
  void callsOfAPacedFunctionParkAndTheOnesBehindStillGo() {
    for (long t = NOW - 1000; t <= NOW; t += 1000) {
      pacer.onFeedback(
          new FunctionFeedback(
              "slow",
              "s1",
              "local",
              t - 1000,
              t,
              10,
              0,
              0,
              0,
              200,
              200,
              4,
              4,
              30 + (int) (NOW - t),
              8,
              8,
              0.5),
          t,
          null);
    }
    assertThat(pacer.isPaced("slow")).isTrue();
    assertThat(pacer.tryAcquire("slow", NOW)).isTrue(); // the pace's first token, taken
    waiting("slow-1", "slow", Criticality.CRITICAL, null);
    waiting("fast-1", "fast", Criticality.NORMAL, null);
    DispatchPlanner.Plan p = planner.plan(record, quota(10, 10), store, NOW);
    assertThat(ids(p)).containsExactly("fast-1");
    assertThat(p.park()).extracting(e -> e.getValue().id()).containsExactly("slow-1");
  }

  @Test
  void aBusyRegionHoldsDeferrableWorkUntilItsLatestStart() {
    utilization.onFeedback(
        new FunctionFeedback(
            "echo", "s1", "local", NOW - 1000, NOW, 10, 0, 0, 0, 100, 100, 4, 4, 0, 8, 8, 0.95));
    utilization.update(NOW);
    assertThat(utilization.holding()).isTrue();
    Invocation later = waiting("later", "echo", Criticality.DEFERRABLE, NOW + 60_000);
    DispatchPlanner.Plan held = planner.plan(record, quota(10, 10), store, NOW);
    assertThat(held.go()).isEmpty();
    assertThat(held.held()).isEqualTo(DecisionReason.UTILIZATION_HIGH);
    // Deadline - run time (100 ms) - margin (5 s) - the time to run the held calls.
    assertThat(held.heldUntil()).isEqualTo(planner.latestStart(later, NOW));
    assertThat(held.heldUntil()).isBetween(NOW + 50_000, NOW + 60_000 - 5_100);
    // By its latest start it goes, busy or not, and says so.
    long due = held.heldUntil();
    DispatchPlanner.Plan forced = planner.plan(record, quota(10, 10), store, due);
    assertThat(ids(forced)).containsExactly("later");
    assertThat(forced.go().get(0).byDeadline()).isTrue();
  }
}
