package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every FuncBuffer rule under Flink's keyed broadcast operator harness, on RocksDB (whose sorted
 * map state is the buffer's order), with processing time set by the test. Each test also checks
 * that a drained tenant leaves no timers and no state but the ids it remembers.
 */
class FuncBufferFunctionTest {
  private static final long T0 = 1_800_000_000_000L; // a whole minute: metrics periods align
  private static final long METRICS_PERIOD = 60_000;
  private static final String TENANT = "acme";

  private KeyedBroadcastOperatorTestHarness<String, TenantEvent, ControlEvent, Invocation> h;

  private static TenantSettings quota(double rate, int burst, int concurrency, int bound) {
    return new TenantSettings(TENANT, rate, burst, concurrency, 1, bound, List.of(), null, 0);
  }

  @BeforeEach
  void open() throws Exception {
    open(quota(1000, 1000, 1000, 1000));
  }

  private void open(TenantSettings unknownTenant) throws Exception {
    if (h != null) h.close();
    var fn =
        new FuncBufferFunction(
            new FuncBuffer.Settings(
                "local", 1_000_000, unknownTenant, METRICS_PERIOD, Duration.ofHours(24), 1000));
    h =
        new KeyedBroadcastOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(fn, List.of(FuncBufferFunction.SETTINGS)),
            TenantEvent::tenant,
            Types.STRING,
            128,
            1,
            0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    h.open();
    h.setProcessingTime(T0);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private Invocation call(String id) {
    return call(id, Criticality.NORMAL, null, 0, null);
  }

  private Invocation call(String id, Criticality c, Long deadline, int priority, Long notBefore) {
    return new Invocation(
        id, TENANT, "echo", c, priority, T0 - 10, notBefore, deadline, 1, 3, null, Map.of(), null,
        Map.of());
  }

  private Invocation call(String id, String function, Criticality c, Long deadline) {
    return new Invocation(
        id, TENANT, function, c, 0, T0 - 10, null, deadline, 1, 3, null, Map.of(), null, Map.of());
  }

  /** One second of sidecar feedback on {@code function}, ending now. */
  private void feedback(String function, int queued, long p50, double utilization)
      throws Exception {
    long now = h.getProcessingTime();
    h.processBroadcastElement(
        ControlEvent.feedback(
            new FunctionFeedback(
                function,
                "s1",
                "local",
                now - 1000,
                now,
                10,
                0,
                0,
                0,
                p50,
                p50,
                4,
                4,
                queued,
                8,
                8,
                utilization)),
        now);
  }

  /** Two steps of a growing queue at the sidecars: {@code function} is congested, now paced. */
  private void congest(String function) throws Exception {
    feedback(function, 30, 200, 0.5);
    at(h.getProcessingTime() + 1000);
    feedback(function, 40, 200, 0.5);
  }

  private List<SchedulingDecision> decisions() {
    return h.getSideOutput(FuncBufferFunction.DECISIONS) == null
        ? List.of()
        : h.getSideOutput(FuncBufferFunction.DECISIONS).stream()
            .map(StreamRecord::getValue)
            .toList();
  }

  private List<String> decisionsOf(String id) {
    return decisions().stream()
        .filter(d -> d.id().equals(id))
        .map(d -> d.decision() + ":" + d.reason())
        .toList();
  }

  private void send(Invocation inv) throws Exception {
    h.processElement(TenantEvent.invocation(inv), h.getProcessingTime());
  }

  private void finish(String id) throws Exception {
    h.processElement(
        TenantEvent.result(
            new Outcome(
                id,
                TENANT,
                "echo",
                null,
                OutcomeStatus.SUCCEEDED,
                null,
                null,
                1,
                T0,
                T0,
                T0,
                T0,
                "local",
                null)),
        h.getProcessingTime());
  }

  private void settings(TenantSettings s) throws Exception {
    h.processBroadcastElement(
        ControlEvent.config(new TenantConfigUpdate(s.tenant(), s)), h.getProcessingTime());
  }

  private List<String> dispatched() {
    return h.extractOutputValues().stream().map(Invocation::id).toList();
  }

  private List<Outcome> outcomes() {
    return h.getSideOutput(ParseInvocations.OUTCOMES) == null
        ? List.of()
        : h.getSideOutput(ParseInvocations.OUTCOMES).stream().map(StreamRecord::getValue).toList();
  }

  private void at(long t) throws Exception {
    h.setProcessingTime(t);
  }

  /** Keys holding each kind of state, except the remembered ids (kept for the dedup window). */
  private long stateEntriesBesidesRememberedIds() throws Exception {
    KeyedStateBackend<String> backend =
        ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
    long n = 0;
    List<String> states = new java.util.ArrayList<>(List.of(StateTenantStore.QUEUE));
    states.add(StateTenantStore.RECORD);
    for (String state : states) {
      try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
        n += keys.count();
      }
    }
    return n;
  }

  /** Finishes what is in flight, lets the bucket refill and the metrics period close. */
  private void assertDrainedAndClean(List<String> inFlight) throws Exception {
    for (String id : inFlight) finish(id);
    at(T0 + 5 * METRICS_PERIOD);
    assertThat(h.numProcessingTimeTimers()).as("timers left").isZero();
    assertThat(stateEntriesBesidesRememberedIds()).as("state left").isZero();
  }

  @Test
  void aPacedFunctionWaitsInTheBufferWhileOtherFunctionsFlow() throws Exception {
    congest("slow"); // paced at its completion rate, 10/s, from T0 + 1000
    for (int i = 0; i < 5; i++) send(call("slow-" + i, "slow", Criticality.NORMAL, null));
    for (int i = 0; i < 5; i++) send(call("fast-" + i, "fast", Criticality.NORMAL, null));
    // One slow call had the pace's token; the rest are parked and every fast call went at once.
    assertThat(dispatched())
        .containsExactly("slow-0", "fast-0", "fast-1", "fast-2", "fast-3", "fast-4");
    assertThat(decisionsOf("slow-1")).containsExactly("PACED:FUNCTION_PACED");
    assertThat(decisionsOf("fast-0")).isEmpty();
    // The parked calls leave at the function's pace, 10/s, each with a RELEASED record.
    at(T0 + 1100);
    assertThat(dispatched()).hasSize(7).last().isEqualTo("slow-1");
    at(T0 + 1400);
    assertThat(dispatched()).hasSize(10);
    assertThat(decisionsOf("slow-4"))
        .containsExactly("PACED:FUNCTION_PACED", "RELEASED:FUNCTION_PACE");
    for (String id : dispatched()) finish(id);
    at(T0 + METRICS_PERIOD);
    SchedulingMetrics m =
        h.getSideOutput(FuncBufferFunction.METRICS).stream()
            .map(StreamRecord::getValue)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(m.paced()).isEqualTo(4);
    assertThat(m.released()).isEqualTo(4);
    assertDrainedAndClean(List.of());
  }

  @Test
  void aParkedCallStillExpiresAtItsDeadline() throws Exception {
    congest("slow");
    send(call("slow-0", "slow", Criticality.NORMAL, null));
    send(call("slow-late", "slow", Criticality.NORMAL, T0 + 1050));
    at(T0 + 1050);
    assertThat(outcomes()).extracting(Outcome::id).containsExactly("slow-late");
    assertThat(outcomes().get(0).status()).isEqualTo(OutcomeStatus.EXPIRED);
    finish("slow-0");
    assertDrainedAndClean(List.of());
  }

  @Test
  void aBusyRegionHoldsDeferrableWorkButNeverCriticalOrNormal() throws Exception {
    at(T0);
    feedback("echo", 0, 100, 0.95); // utilization above the 0.8 target
    long deadline = T0 + 60_000;
    send(call("deferrable", "echo", Criticality.DEFERRABLE, deadline));
    send(call("critical", "echo", Criticality.CRITICAL, null));
    send(call("normal", "echo", Criticality.NORMAL, null));
    assertThat(dispatched()).containsExactly("critical", "normal");
    assertThat(decisionsOf("deferrable")).containsExactly("DEFERRED:UTILIZATION_HIGH");
    // Still busy: released by its latest start, deadline - run time (100 ms) - margin (5 s) -
    // the time to run the one held call at the measured ~10.5 calls/s (about 95 ms).
    long latestStart = deadline - 100 - 5000;
    for (long t = T0 + 1000; t < latestStart - 200; t += 1000) {
      at(t);
      feedback("echo", 0, 100, 0.95); // the sidecars keep reporting a busy region
    }
    at(latestStart - 200);
    assertThat(dispatched()).doesNotContain("deferrable");
    at(latestStart);
    assertThat(dispatched()).contains("deferrable");
    assertThat(decisionsOf("deferrable"))
        .containsExactly("DEFERRED:UTILIZATION_HIGH", "RELEASED:DEADLINE");
    for (String id : dispatched()) finish(id);
    assertDrainedAndClean(List.of());
  }

  @Test
  void heldWorkDueByItsDeadlineGoesEvenWithoutTokens() throws Exception {
    settings(quota(1, 1, 1000, 1000)); // one token a second
    at(T0);
    feedback("echo", 0, 100, 0.95);
    send(call("first", "echo", Criticality.NORMAL, null)); // takes the only token
    for (int i = 0; i < 3; i++) {
      send(call("d-" + i, "echo", Criticality.DEFERRABLE, T0 + 10_000));
    }
    for (long t = T0 + 1000; t <= T0 + 6000; t += 1000) {
      at(t);
      feedback("echo", 0, 100, 0.95);
    }
    // Latest start ~ deadline - 100 ms - 5 s - the held calls' run time: all three went, a token
    // or not, and none expired.
    assertThat(dispatched()).containsExactly("first", "d-0", "d-1", "d-2");
    assertThat(decisionsOf("d-2")).containsExactly("THROTTLED:TENANT_RATE", "RELEASED:DEADLINE");
    assertThat(outcomes()).isEmpty();
    for (String id : dispatched()) finish(id);
    assertDrainedAndClean(List.of());
  }

  @Test
  void callsDueTogetherLeaveAtTheDrainRateAndAllInTime() throws Exception {
    at(T0);
    feedback("echo", 0, 100, 0.95); // busy; capacity ~10.5 calls/s
    long deadline = T0 + 10_000;
    for (int i = 0; i < 20; i++) {
      send(call("d-" + i, "echo", Criticality.DEFERRABLE, deadline));
    }
    for (long t = T0 + 100; t <= deadline; t += 100) {
      at(t);
      if ((t - T0) % 1000 == 0) feedback("echo", 0, 100, 0.95);
    }
    // All 20 went, none later than deadline - run time - margin, and spread out at about the
    // drain rate (20 calls at ~10/s: about 2 s) rather than all in one step.
    List<Invocation> out = h.extractOutputValues();
    assertThat(out).hasSize(20);
    long first = out.stream().mapToLong(Invocation::dispatchedAt).min().orElseThrow();
    long last = out.stream().mapToLong(Invocation::dispatchedAt).max().orElseThrow();
    assertThat(last).isLessThanOrEqualTo(deadline - 100 - 5000);
    assertThat(last - first).isGreaterThanOrEqualTo(1500);
    assertThat(decisionsOf("d-19"))
        .containsExactly("DEFERRED:UTILIZATION_HIGH", "RELEASED:DEADLINE");
    assertThat(outcomes()).isEmpty();
    for (String id : dispatched()) finish(id);
    assertDrainedAndClean(List.of());
  }

  @Test
  void heldWorkIsReleasedIntoTheNextTrough() throws Exception {
    at(T0);
    feedback("echo", 0, 100, 0.95);
    for (int i = 0; i < 3; i++) {
      send(call("d-" + i, "echo", Criticality.DEFERRABLE, T0 + 3_600_000));
    }
    at(T0 + 2000);
    assertThat(dispatched()).isEmpty();
    feedback("echo", 0, 100, 0.1); // a trough: spare (0.8 - 0.1) * 80/s = 56/s
    at(T0 + 3000);
    assertThat(dispatched()).containsExactly("d-0", "d-1", "d-2");
    assertThat(decisionsOf("d-2"))
        .containsExactly("DEFERRED:UTILIZATION_HIGH", "RELEASED:SPARE_CAPACITY");
    for (String id : dispatched()) finish(id);
    assertDrainedAndClean(List.of());
  }

  @Test
  void throttledCallsSayWhyTheyWaited() throws Exception {
    settings(quota(10, 1, 1000, 1000));
    send(call("first"));
    send(call("second"));
    assertThat(dispatched()).containsExactly("first");
    assertThat(decisionsOf("second")).containsExactly("THROTTLED:TENANT_RATE");
    at(T0 + 100);
    assertThat(decisionsOf("second")).containsExactly("THROTTLED:TENANT_RATE", "RELEASED:QUOTA");
    for (String id : dispatched()) finish(id);
    assertDrainedAndClean(List.of());
  }

  @Test
  void eachSubtaskReportsItsLoad() throws Exception {
    settings(quota(1000, 1000, 1, 1000)); // one in flight: the rest wait
    at(T0);
    send(call("a", "echo", Criticality.CRITICAL, null));
    send(call("b", "echo", Criticality.NORMAL, null));
    send(call("c", "echo", Criticality.DEFERRABLE, null));
    at(T0 + 1000 + 1);
    send(call("d", "echo", Criticality.NORMAL, null));
    List<LoadReport> reports =
        h.getSideOutput(FuncBufferFunction.LOAD).stream().map(StreamRecord::getValue).toList();
    assertThat(reports).isNotEmpty();
    LoadReport r = reports.get(reports.size() - 1);
    assertThat(r.kind()).isEqualTo(LoadReport.SCHEDULER);
    assertThat(r.region()).isEqualTo("local");
    assertThat(r.backlogCritical() + r.backlogNormal() + r.backlogDeferrable()).isPositive();
    assertThat(r.arrivalRate()).isPositive();
  }

  @Test
  void dispatchOrderIsCriticalityThenDeadlineThenPriorityThenArrival() throws Exception {
    settings(quota(1000, 1000, 1, 1000)); // one at a time: the rest wait and are ordered
    send(call("blocker"));
    send(call("deferrable", Criticality.DEFERRABLE, T0 + 1000, 9, null));
    send(call("normal-late-deadline", Criticality.NORMAL, T0 + 9000, 0, null));
    send(call("normal-no-deadline-low", Criticality.NORMAL, null, 0, null));
    send(call("normal-no-deadline-high", Criticality.NORMAL, null, 5, null));
    send(call("normal-early-deadline", Criticality.NORMAL, T0 + 5000, 0, null));
    send(call("critical", Criticality.CRITICAL, null, 0, null));
    send(call("normal-no-deadline-low-2", Criticality.NORMAL, null, 0, null));
    for (String id : List.copyOf(dispatched())) finish(id);
    for (int i = 0; i < 7; i++) finish(dispatched().get(dispatched().size() - 1));

    assertThat(dispatched())
        .containsExactly(
            "blocker",
            "critical",
            "normal-early-deadline",
            "normal-late-deadline",
            "normal-no-deadline-high",
            "normal-no-deadline-low",
            "normal-no-deadline-low-2",
            "deferrable");
    assertDrainedAndClean(List.of());
  }

  @Test
  void tokenBucketReleasesTheBurstAtOnceThenOneEveryHundredMillis() throws Exception {
    settings(quota(10, 5, 1000, 1000));
    for (int i = 0; i < 10; i++) send(call("c" + i));
    assertThat(dispatched()).hasSize(5);
    at(T0 + 99);
    assertThat(dispatched()).hasSize(5);
    at(T0 + 100);
    assertThat(dispatched()).hasSize(6);
    at(T0 + 199);
    assertThat(dispatched()).hasSize(6);
    at(T0 + 200);
    assertThat(dispatched()).hasSize(7);
    at(T0 + 500);
    assertThat(dispatched()).hasSize(10);
    assertThat(h.extractOutputValues().get(9).dispatchedAt()).isEqualTo(T0 + 500);

    // The metrics period closes with one record that counts what happened.
    at(T0 + METRICS_PERIOD);
    List<SchedulingMetrics> metrics =
        h.getSideOutput(FuncBufferFunction.METRICS).stream().map(StreamRecord::getValue).toList();
    assertThat(metrics).hasSize(1);
    SchedulingMetrics m = metrics.get(0);
    assertThat(m.tenant()).isEqualTo(TENANT);
    assertThat(m.arrived()).isEqualTo(10);
    assertThat(m.dispatched()).isEqualTo(10);
    assertThat(m.throttled()).isEqualTo(5);
    assertThat(m.buffered()).isZero();
    assertThat(m.queueDelayMaxMs()).isGreaterThanOrEqualTo(500);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void concurrencyLimitIsReleasedByResults() throws Exception {
    settings(quota(1000, 1000, 2, 1000));
    for (int i = 0; i < 5; i++) send(call("c" + i));
    assertThat(dispatched()).containsExactly("c0", "c1");
    at(T0 + 10_000); // time alone frees nothing
    assertThat(dispatched()).hasSize(2);
    finish("c0");
    assertThat(dispatched()).containsExactly("c0", "c1", "c2");
    finish("c0"); // a duplicate result frees nothing more
    assertThat(dispatched()).hasSize(3);
    finish("c1");
    finish("c2");
    assertThat(dispatched()).hasSize(5);
    assertDrainedAndClean(List.of("c3", "c4"));
  }

  @Test
  void deadlineExpiresWaitingWorkAtTheDeadlineAndNotBefore() throws Exception {
    settings(quota(1000, 1000, 1, 1000));
    send(call("blocker"));
    send(call("doomed", Criticality.NORMAL, T0 + 1000, 0, null));
    at(T0 + 999);
    assertThat(outcomes()).isEmpty();
    at(T0 + 1000);
    assertThat(outcomes()).hasSize(1);
    Outcome o = outcomes().get(0);
    assertThat(o.id()).isEqualTo("doomed");
    assertThat(o.status()).isEqualTo(OutcomeStatus.EXPIRED);
    assertThat(o.reason()).isEqualTo(ReasonCode.DEADLINE_EXCEEDED);
    assertThat(o.detail()).endsWith("waited 1010 ms");
    assertThat(dispatched()).containsExactly("blocker");
    assertDrainedAndClean(List.of("blocker"));
    assertThat(outcomes()).hasSize(1); // exactly one, even after everything else
  }

  @Test
  void tenantDefaultDeadlineAppliesWhenTheInvocationGivesNone() throws Exception {
    settings(new TenantSettings(TENANT, 1000, 1000, 1, 1, 1000, List.of(), 2000L, 0));
    send(call("blocker"));
    send(call("implicit"));
    at(T0 + 1989);
    assertThat(outcomes()).isEmpty();
    at(T0 + 1990); // submittedAt + 2000 ms
    assertThat(outcomes()).extracting(Outcome::id).containsExactly("implicit");
    assertDrainedAndClean(List.of("blocker"));
  }

  @Test
  void notBeforeHoldsAnInvocationUntilItsTime() throws Exception {
    send(call("later", Criticality.NORMAL, null, 0, T0 + 500));
    send(call("now"));
    assertThat(dispatched()).containsExactly("now");
    at(T0 + 499);
    assertThat(dispatched()).containsExactly("now");
    at(T0 + 500);
    assertThat(dispatched()).containsExactly("now", "later");
    assertThat(h.extractOutputValues().get(1).dispatchedAt()).isEqualTo(T0 + 500);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void aDelayedBacklogThenDrainsAtItsRate() throws Exception {
    settings(quota(10, 5, 1000, 1000));
    for (int i = 0; i < 20; i++) send(call("d" + i, Criticality.NORMAL, null, 0, T0 + 1000));
    assertThat(dispatched()).isEmpty();
    at(T0 + 1000);
    assertThat(dispatched()).hasSize(5);
    at(T0 + 1100);
    assertThat(dispatched()).hasSize(6);
    at(T0 + 2500);
    assertThat(dispatched()).hasSize(20);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void aFullBufferRejectsWithBufferFull() throws Exception {
    settings(quota(1000, 1000, 1, 2));
    send(call("blocker"));
    send(call("w1"));
    send(call("w2"));
    send(call("w3"));
    assertThat(outcomes()).hasSize(1);
    assertThat(outcomes().get(0).id()).isEqualTo("w3");
    assertThat(outcomes().get(0).status()).isEqualTo(OutcomeStatus.REJECTED);
    assertThat(outcomes().get(0).reason()).isEqualTo(ReasonCode.BUFFER_FULL);
    finish("blocker");
    finish("w1");
    assertDrainedAndClean(List.of("w2"));
  }

  @Test
  void aDuplicateIdIsNotRunAgainButARetryIs() throws Exception {
    send(call("once"));
    send(call("once"));
    assertThat(dispatched()).containsExactly("once");
    assertThat(outcomes()).isEmpty();
    Invocation retry = call("once").retry(T0 + 100);
    send(retry); // attempt 2: a new attempt, not a duplicate
    at(T0 + 100);
    assertThat(h.extractOutputValues()).extracting(Invocation::attempt).containsExactly(1, 2);
    assertDrainedAndClean(List.of("once"));
  }

  @Test
  void cancelBeforeDispatchGivesOneCancelledOutcome() throws Exception {
    settings(quota(1000, 1000, 1, 1000));
    send(call("blocker"));
    send(call("victim"));
    h.processElement(TenantEvent.cancel(TENANT, "victim"), T0);
    h.processElement(TenantEvent.cancel(TENANT, "blocker"), T0); // dispatched already: too late
    h.processElement(TenantEvent.cancel(TENANT, "early"), T0); // before it arrives
    send(call("early"));
    assertThat(outcomes())
        .extracting(o -> o.id() + ":" + o.status() + ":" + o.reason())
        .containsExactly(
            "victim:CANCELLED:CANCELLED_BY_REQUEST", "early:CANCELLED:CANCELLED_BY_REQUEST");
    finish("blocker");
    assertThat(dispatched()).containsExactly("blocker");
    assertDrainedAndClean(List.of());
  }

  @Test
  void aConfigChangeAppliesMidStreamWithoutRestart() throws Exception {
    settings(quota(1, 1, 1000, 1000));
    for (int i = 0; i < 5; i++) send(call("c" + i));
    assertThat(dispatched()).hasSize(1);
    settings(quota(1000, 100, 1000, 1000));
    at(T0 + 1000); // within the longest sleep of a backlogged tenant
    assertThat(dispatched()).hasSize(5);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void functionsNotAllowedAndUnknownTenantsAreRejected() throws Exception {
    settings(new TenantSettings(TENANT, 1000, 1000, 10, 1, 1000, List.of("resize"), null, 0));
    send(call("echo-call"));
    assertThat(outcomes()).extracting(Outcome::reason).containsExactly(ReasonCode.UNKNOWN_FUNCTION);

    open(null); // policy: reject tenants without settings
    send(call("stranger"));
    assertThat(outcomes()).extracting(Outcome::reason).containsExactly(ReasonCode.UNKNOWN_TENANT);
    assertDrainedAndClean(List.of());
  }
}
