package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.window.WindowSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A region's history folded from its topics' records: the window's first attempts become calls with
 * the run times their outcomes show, and what actually became of them per tenant.
 */
class RecordedHistoryTest {
  private static final long T0 = 1_900_000_040_000L; // 20 s past a whole minute

  private static Invocation call(
      String id, String tenant, long submitted, Long notBefore, Long deadline) {
    return new Invocation(
        id,
        tenant,
        "f",
        Criticality.NORMAL,
        0,
        submitted,
        notBefore,
        deadline,
        1,
        3,
        null,
        Map.of(),
        null,
        Map.of());
  }

  private final RecordedHistory.Builder b =
      new RecordedHistory.Builder(new InvocationSerde(InvocationLimits.DEFAULTS), T0, T0 + 60_000);

  private void submitted(Invocation inv, long timestamp) {
    b.submission(InvocationSerde.write(inv), timestamp);
  }

  @Test
  void callsCarryTheirRecordedTimesAndTheRunTimesTheirOutcomesShow() {
    Invocation ran = call("ran", "a", T0, null, T0 + 5_000);
    Invocation held = call("held", "a", T0 + 100, T0 + 2_000, null);
    Invocation expired = call("exp", "b", T0 + 200, null, T0 + 1_000);
    Invocation rejected = call("rej", "b", T0 + 300, null, null);
    submitted(ran, T0 + 10);
    submitted(held, T0 + 110);
    submitted(expired, T0 + 210);
    submitted(rejected, T0 + 310);
    submitted(call("before", "a", T0 - 10, null, null), T0 - 5); // not in the window
    submitted(ran.retry(T0 + 9_000), T0 + 9_000); // a retry: not a call of its own
    b.dispatch(InvocationSerde.write(ran.withDispatchedAt(T0 + 50)));
    b.dispatch(InvocationSerde.write(held.withDispatchedAt(T0 + 2_300)));
    b.outcome(
        Json.write(Outcome.succeeded(ran.withDispatchedAt(T0 + 50), T0 + 60, T0 + 460, "r", null)));
    b.outcome(
        Json.write(
            Outcome.beforeRun(
                expired,
                OutcomeStatus.EXPIRED,
                ReasonCode.DEADLINE_EXCEEDED,
                "",
                T0 + 1_000,
                "r")));
    b.outcome(
        Json.write(
            Outcome.beforeRun(
                rejected, OutcomeStatus.REJECTED, ReasonCode.UNKNOWN_FUNCTION, "", T0 + 300, "r")));
    b.feedback(Json.write(feedback("sc-1", 8)));
    b.feedback(Json.write(feedback("sc-2", 8)));
    b.feedback(Json.write(feedback("sc-1", 8)));

    RecordedHistory h = b.build();

    assertThat(h.startMs()).isEqualTo(T0 - 20_000); // the whole minute before the first call
    assertThat(h.calls()).extracting(SimCall::id).containsExactly("ran", "held", "exp", "rej");
    SimCall r = h.calls().get(0);
    assertThat(r.atMs()).isEqualTo(20_010);
    assertThat(r.submittedMs()).isEqualTo(20_000);
    assertThat(r.deadlineAfterMs()).isEqualTo(5_000);
    assertThat(r.runMs()).isEqualTo(400);
    SimCall hd = h.calls().get(1);
    assertThat(hd.notBeforeMs()).isEqualTo(22_000);
    // Not run: its function's median run time, should a changed run dispatch it.
    assertThat(hd.runMs()).isEqualTo(400);
    assertThat(h.slots()).isEqualTo(16);
    assertThat(h.feedback()).isTrue();

    TenantFigures a = h.actual("a");
    assertThat(a.arrived()).isEqualTo(2);
    assertThat(a.dispatched()).isEqualTo(2);
    assertThat(a.delayP50Ms()).isEqualTo(50); // "ran": submitted to dispatched
    assertThat(a.delayP99Ms()).isEqualTo(300); // "held": from its notBefore
    TenantFigures bf = h.actual("b");
    assertThat(bf.expired()).isEqualTo(1);
    assertThat(bf.rejected()).isEqualTo(1);
    assertThat(bf.dispatched()).isZero();
    assertThat(bf.deadlineMisses()).isEqualTo(1);
  }

  @Test
  void aCallOfAFunctionThatNeverReturnedHoldsItsSlotInTheSimulation() {
    Invocation inv = call("c", "a", T0, null, null);
    submitted(inv, T0);
    b.dispatch(InvocationSerde.write(inv.withDispatchedAt(T0 + 5)));

    RecordedHistory h = b.build();

    assertThat(h.calls().get(0).runMs()).isEqualTo(SimCall.NEVER);
    assertThat(h.actual("a").dispatched()).isEqualTo(1);
    assertThat(h.feedback()).isFalse();
    assertThat(h.slots()).isZero();
  }

  @Test
  void theLayoutIsTheSidecarsThatReportedWithEachFunctionWhereItRan() {
    submitted(call("c", "a", T0, null, null), T0);
    // sc-1 runs f and g, then sc-2 joins and the rebalance hands g to it.
    b.feedback(Json.write(feedback("sc-1", "f", 2, T0, T0 + 1000)));
    b.feedback(Json.write(feedback("sc-1", "g", 2, T0, T0 + 1000)));
    b.feedback(Json.write(feedback("sc-2", "g", 4, T0 + 1500, T0 + 2500)));
    b.feedback(Json.write(feedback("sc-1", "f", 2, T0 + 1000, T0 + 2000)));

    SidecarLayout l = b.build().layout();

    assertThat(l.capacities()).containsExactly(2, 4);
    assertThat(l.slots()).isEqualTo(6);
    assertThat(l.phasesMs()).containsExactly(21_000L, 22_500L); // first reports, from the start
    assertThat(l.sidecarOf("f", 0)).isZero();
    assertThat(l.sidecarOf("f", 30_000)).isZero();
    assertThat(l.sidecarOf("g", 20_000)).isZero();
    assertThat(l.sidecarOf("g", 21_499)).isZero();
    assertThat(l.sidecarOf("g", 21_500)).isEqualTo(1); // from the period of sc-2's first report
    assertThat(l.windows()).isEqualTo(WindowSettings.from(XfaasConfig.defaults()));
  }

  private static FunctionFeedback feedback(
      String sidecar, String function, int capacity, long from, long at) {
    return new FunctionFeedback(
        function, sidecar, "r", from, at, 1, 0, 0, 0, 1, 1, capacity, 0, 0, capacity, capacity,
        0.1);
  }

  private static FunctionFeedback feedback(String sidecar, int capacity) {
    return new FunctionFeedback(
        "f", sidecar, "r", T0, T0 + 1000, 1, 0, 0, 0, 1, 1, capacity, 0, 0, capacity, capacity,
        0.1);
  }
}
