package io.xfaas.scheduler.operators;

import static io.xfaas.scheduler.buffer.FuncBufferFixtures.METRICS_PERIOD;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.T0;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.TENANT;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.bufferSettings;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.call;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.harness;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBufferFixtures;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.pacing.Feedback;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
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
  private KeyedBroadcastOperatorTestHarness<String, TenantEvent, ControlEvent, Invocation> h;

  @BeforeEach
  void open() throws Exception {
    open(quota(1000, 1000, 1000, 1000));
  }

  private void open(TenantSettings unknownTenant) throws Exception {
    open(unknownTenant, null);
  }

  /** A fresh harness, restored from {@code snapshot} when it is not null. */
  private void open(TenantSettings unknownTenant, OperatorSubtaskState snapshot) throws Exception {
    if (h != null) h.close();
    h = harness(bufferSettings(unknownTenant));
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    if (snapshot != null) h.initializeState(snapshot);
    h.open();
    h.setProcessingTime(T0);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  /** One second of sidecar feedback on {@code function}, ending now. */
  private void feedback(String function, int queued, long p50, double utilization)
      throws Exception {
    long now = h.getProcessingTime();
    h.processBroadcastElement(
        ControlEvent.feedback(Feedback.windowFull(function, now, queued, p50, utilization)), now);
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
    finish(id, TENANT);
  }

  /** A sidecar's terminal result of {@code id}; the first of an id becomes its outcome. */
  private void finish(String id, String tenant) throws Exception {
    Outcome result =
        new Outcome(
            id,
            tenant,
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
            null);
    results.add(result);
    h.processElement(TenantEvent.result(result), h.getProcessingTime());
  }

  private final List<Outcome> results = new java.util.ArrayList<>();

  private void settings(TenantSettings s) throws Exception {
    h.processBroadcastElement(
        ControlEvent.config(new TenantConfigUpdate(s.tenant(), s)), h.getProcessingTime());
  }

  private List<String> dispatched() {
    return h.extractOutputValues().stream().map(Invocation::id).toList();
  }

  /** Moves the clock to {@code t}: what has been dispatched by then. */
  private List<String> dispatchedBy(long t) throws Exception {
    at(t);
    return dispatched();
  }

  /** The outcomes the FuncBuffer decided itself (expired, rejected, cancelled). */
  private List<Outcome> outcomes() {
    return allOutcomes().stream().filter(o -> !results.contains(o)).toList();
  }

  /** The outcomes that are sidecars' results let through. */
  private List<Outcome> resultOutcomes() {
    return allOutcomes().stream().filter(results::contains).toList();
  }

  private List<Outcome> allOutcomes() {
    return h.getSideOutput(ParseInvocations.OUTCOMES) == null
        ? List.of()
        : h.getSideOutput(ParseInvocations.OUTCOMES).stream()
            .map(r -> r.getValue().outcome())
            .toList();
  }

  private void at(long t) throws Exception {
    h.setProcessingTime(t);
  }

  /** Keys holding each kind of state, except the remembered ids (kept for the dedup window). */
  private long stateEntriesBesidesRememberedIds() throws Exception {
    h.prepareSnapshotPreBarrier(0); // the cached tenant records go to keyed state
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
    // One report, at the first event after its interval: 4 arrivals and 1 dispatch in 1001 ms, and
    // what waits by criticality (b and d NORMAL, c DEFERRABLE).
    assertThat(reports).hasSize(1);
    LoadReport r = reports.get(0);
    assertThat(r.kind()).isEqualTo(LoadReport.SCHEDULER);
    assertThat(r.region()).isEqualTo("local");
    assertThat(r.reporter()).isEqualTo("scheduler-0");
    assertThat(r.reportedAt()).isEqualTo(T0 + 1001);
    assertThat(r.periodMs()).isEqualTo(1001);
    assertThat(r.backlogCritical()).isZero();
    assertThat(r.backlogNormal()).isEqualTo(2);
    assertThat(r.backlogDeferrable()).isEqualTo(1);
    assertThat(r.arrivalRate()).isEqualTo(4 * 1000.0 / 1001);
    assertThat(r.dispatchRate()).isEqualTo(1000.0 / 1001);
    finish("a");
    finish("b");
    finish("d");
    assertThat(dispatched()).containsExactly("a", "b", "d", "c");
    assertDrainedAndClean(List.of("c"));
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
    assertThat(dispatchedBy(T0 + 99)).hasSize(5);
    assertThat(dispatchedBy(T0 + 100)).hasSize(6);
    assertThat(dispatchedBy(T0 + 199)).hasSize(6);
    assertThat(dispatchedBy(T0 + 200)).hasSize(7);
    assertThat(dispatchedBy(T0 + 500)).hasSize(10);
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
  void notBeforeHoldsAnInvocationUntilItsTime() throws Exception {
    send(call("later", Criticality.NORMAL, null, 0, T0 + 500));
    send(call("now"));
    assertThat(dispatched()).containsExactly("now");
    assertThat(dispatchedBy(T0 + 499)).containsExactly("now");
    assertThat(dispatchedBy(T0 + 500)).containsExactly("now", "later");
    assertThat(h.extractOutputValues().get(1).dispatchedAt()).isEqualTo(T0 + 500);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void aDelayedBacklogThenDrainsAtItsRate() throws Exception {
    settings(quota(10, 5, 1000, 1000));
    for (int i = 0; i < 20; i++) send(call("d" + i, Criticality.NORMAL, null, 0, T0 + 1000));
    assertThat(dispatched()).isEmpty();
    assertThat(dispatchedBy(T0 + 1000)).hasSize(5);
    assertThat(dispatchedBy(T0 + 1100)).hasSize(6);
    assertThat(dispatchedBy(T0 + 2500)).hasSize(20);
    assertDrainedAndClean(dispatched());
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
  void theFirstResultOfAnIdIsItsOutcomeAndLaterOnesAreDropped() throws Exception {
    settings(quota(1000, 1000, 1, 1000)); // one slot: "b" waits for "a"'s result
    send(call("a"));
    send(call("b"));
    assertThat(dispatched()).containsExactly("a");
    finish("a");
    finish("a"); // a sidecar ran it twice
    assertThat(dispatched()).containsExactly("a", "b");
    finish("b");
    finish("ghost"); // remembered no longer (or never seen): still one outcome
    finish("ghost");
    finish("a");
    assertThat(resultOutcomes()).extracting(Outcome::id).containsExactly("a", "b", "ghost");
    assertThat(dispatched()).containsExactly("a", "b");
    assertDrainedAndClean(List.of());
  }

  /**
   * Call entries live on the heap until the checkpoint after the one that wrote them, then in
   * RocksDB only: the slot and the duplicates are told apart the same way in every case.
   */
  @Test
  void resultsAreDeduplicatedWhereverTheirEntryIsHeld() throws Exception {
    settings(quota(1000, 1000, 1, 1000)); // one slot: each call waits for the one before
    for (String id : List.of("a", "b", "c", "d")) send(call(id));
    finish("a"); // entry on the heap, not written yet
    h.prepareSnapshotPreBarrier(1); // b's entry written and still held
    finish("b");
    finish("a");
    h.prepareSnapshotPreBarrier(2); // held one interval: c's is written, a's and b's dropped
    h.prepareSnapshotPreBarrier(3);
    finish("c"); // read from RocksDB
    finish("b");
    finish("c");
    send(call("a")); // a duplicate submission, remembered in RocksDB
    assertThat(dispatched()).containsExactly("a", "b", "c", "d");
    assertThat(resultOutcomes()).extracting(Outcome::id).containsExactly("a", "b", "c");
    finish("d");
    assertDrainedAndClean(List.of());
  }

  @Test
  void aResultFinishesTheCallEvenWhileARetryOfItWaits() throws Exception {
    send(call("once"));
    Invocation retry = call("once").retry(T0 + 100); // attempt 2, waiting for its notBefore
    send(retry);
    finish("once"); // attempt 1, run again by another sidecar, succeeded after all
    at(T0 + 200);
    send(call("once").retry(T0 + 150)); // and a late copy of the retry
    at(T0 + 300);
    assertThat(h.extractOutputValues()).extracting(Invocation::attempt).containsExactly(1);
    assertThat(resultOutcomes()).extracting(Outcome::id).containsExactly("once");
    assertDrainedAndClean(List.of());
  }

  @Test
  void aResultWithoutATenantStillGetsOneOutcome() throws Exception {
    finish("orphan", null);
    finish("orphan", null);
    assertThat(resultOutcomes()).extracting(Outcome::id).containsExactly("orphan");
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
  void aRestoreKeepsTheBufferTheTimersTheRememberedIdsAndTheOpenPeriod() throws Exception {
    settings(quota(10, 1, 1000, 1000));
    for (int i = 0; i < 3; i++) send(call("c" + i));
    assertThat(dispatched()).containsExactly("c0");
    OperatorSubtaskState snapshot = FuncBufferFixtures.snapshot(h, 1, T0);
    open(quota(1000, 1000, 1000, 1000), snapshot); // the tenant's own settings come back too
    assertThat(dispatchedBy(T0 + 99)).isEmpty();
    assertThat(dispatchedBy(T0 + 100)).containsExactly("c1");
    assertThat(dispatchedBy(T0 + 200)).containsExactly("c1", "c2");
    send(call("c0")); // remembered: a duplicate
    assertThat(dispatched()).containsExactly("c1", "c2");
    for (String id : List.of("c0", "c1", "c2")) finish(id);
    at(T0 + METRICS_PERIOD);
    // The period opened before the snapshot closes after the restore, with all it counted.
    SchedulingMetrics m =
        h.getSideOutput(FuncBufferFunction.METRICS).stream()
            .map(StreamRecord::getValue)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(m.periodStart()).isEqualTo(T0);
    assertThat(m.arrived()).isEqualTo(4);
    assertThat(m.dispatched()).isEqualTo(3);
    assertThat(m.throttled()).isEqualTo(2);
    assertThat(m.duplicates()).isEqualTo(1);
    assertThat(m.released()).isEqualTo(2);
    assertDrainedAndClean(List.of());
  }
}
