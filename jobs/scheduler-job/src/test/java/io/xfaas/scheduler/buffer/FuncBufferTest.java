package io.xfaas.scheduler.buffer;

import static io.xfaas.scheduler.buffer.FuncBufferFixtures.METRICS_PERIOD;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.T0;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.TENANT;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.bufferSettings;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.call;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.invocation;
import static io.xfaas.scheduler.buffer.FuncBufferFixtures.quota;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.pacing.Feedback;
import io.xfaas.scheduler.sim.FuncBufferSim;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FuncBuffer's scheduling rules as plain unit tests: the {@link FuncBuffer} on the heap queue
 * ({@link FuncBufferSim}), under a clock the test sets, no Flink. Each test ends with no timers and
 * no state left but the ids remembered for deduplication. State, timers and snapshots on Flink's
 * RocksDB backend are {@code FuncBufferFunctionTest}'s.
 */
class FuncBufferTest {
  private FuncBufferSim sim;

  @BeforeEach
  void open() {
    open(quota(1000, 1000, 1000, 1000));
  }

  private void open(TenantSettings unknownTenant) {
    sim = new FuncBufferSim(bufferSettings(unknownTenant), T0);
  }

  /** One second of sidecar feedback on {@code function}, ending now. */
  private void feedback(String function, int queued, long p50, double utilization) {
    long now = sim.now();
    sim.feedback(Feedback.windowFull(function, now, queued, p50, utilization));
  }

  /** Two steps of a growing queue at the sidecars: {@code function} is congested, now paced. */
  private void congest(String function) {
    feedback(function, 30, 200, 0.5);
    at(sim.now() + 1000);
    feedback(function, 40, 200, 0.5);
  }

  private List<String> decisionsOf(String id) {
    return sim.kept().decisions().stream()
        .filter(d -> d.id().equals(id))
        .map(d -> d.decision() + ":" + d.reason())
        .toList();
  }

  private void send(Invocation inv) {
    sim.send(inv);
  }

  private void finish(String id) {
    sim.finish(TENANT, id);
  }

  private void settings(TenantSettings s) {
    sim.settings(s);
  }

  private List<String> dispatched() {
    return sim.kept().dispatched().stream().map(Invocation::id).toList();
  }

  private List<Outcome> outcomes() {
    return sim.kept().outcomes();
  }

  private void at(long t) {
    sim.at(t);
  }

  /** Finishes what is in flight, lets the bucket refill and the metrics period close. */
  private void assertDrainedAndClean(List<String> inFlight) {
    for (String id : inFlight) finish(id);
    at(T0 + 5 * METRICS_PERIOD);
    assertThat(sim.timers()).as("timers left").isZero();
    assertThat(sim.store(TENANT).isEmptyButIds()).as("state left").isTrue();
    assertThat(sim.buffer().metrics().isEmpty()).as("metrics periods left").isTrue();
  }

  @Test
  void aPacedFunctionWaitsInTheBufferWhileOtherFunctionsFlow() {
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
    SchedulingMetrics m = sim.kept().metrics().stream().reduce((a, b) -> b).orElseThrow();
    assertThat(m.paced()).isEqualTo(4);
    assertThat(m.released()).isEqualTo(4);
    assertDrainedAndClean(List.of());
  }

  @Test
  void aBusyRegionHoldsDeferrableWorkButNeverCriticalOrNormal() {
    at(T0);
    feedback("echo", 0, 100, 0.95); // utilization above the 0.8 target
    long deadline = T0 + 60_000;
    send(call("deferrable", "echo", Criticality.DEFERRABLE, deadline));
    send(call("critical", "echo", Criticality.CRITICAL, null));
    send(call("normal", "echo", Criticality.NORMAL, null));
    assertThat(dispatched()).containsExactly("critical", "normal");
    assertThat(decisionsOf("deferrable")).containsExactly("DEFERRED:UTILIZATION_HIGH");
    assertThat(sim.buffer().utilization().heldDeadlinesCounted()).isEqualTo(1);
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
    assertDrainedAndClean(dispatched());
  }

  @Test
  void heldWorkDueByItsDeadlineGoesEvenWithoutTokens() {
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
    assertDrainedAndClean(dispatched());
  }

  @Test
  void callsDueTogetherLeaveAtTheDrainRateAndAllInTime() {
    at(T0);
    feedback("echo", 0, 100, 0.95); // busy; capacity ~10.5 calls/s
    long deadline = T0 + 10_000;
    for (int i = 0; i < 20; i++) {
      send(call("d-" + i, "echo", Criticality.DEFERRABLE, deadline));
    }
    assertThat(sim.buffer().utilization().heldDeadlinesCounted())
        .as("the held deadlines the EDF plan sees")
        .isEqualTo(20);
    for (long t = T0 + 100; t <= deadline; t += 100) {
      at(t);
      if ((t - T0) % 1000 == 0) feedback("echo", 0, 100, 0.95);
    }
    // All 20 went, none later than deadline - run time - margin, and spread out at about the
    // drain rate (20 calls at ~10/s: about 2 s) rather than all in one step.
    List<Invocation> out = sim.kept().dispatched();
    assertThat(out).hasSize(20);
    long first = out.stream().mapToLong(Invocation::dispatchedAt).min().orElseThrow();
    long last = out.stream().mapToLong(Invocation::dispatchedAt).max().orElseThrow();
    assertThat(last).isLessThanOrEqualTo(deadline - 100 - 5000);
    assertThat(last - first).isGreaterThanOrEqualTo(1500);
    assertThat(sim.buffer().utilization().heldDeadlinesCounted()).isZero();
    assertThat(decisionsOf("d-19"))
        .containsExactly("DEFERRED:UTILIZATION_HIGH", "RELEASED:DEADLINE");
    assertThat(outcomes()).isEmpty();
    assertDrainedAndClean(dispatched());
  }

  @Test
  void heldWorkIsReleasedIntoTheNextTrough() {
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
    assertDrainedAndClean(dispatched());
  }

  @Test
  void throttledCallsSayWhyTheyWaited() {
    settings(quota(10, 1, 1000, 1000));
    send(call("first"));
    send(call("second"));
    assertThat(dispatched()).containsExactly("first");
    assertThat(decisionsOf("second")).containsExactly("THROTTLED:TENANT_RATE");
    at(T0 + 100);
    assertThat(decisionsOf("second")).containsExactly("THROTTLED:TENANT_RATE", "RELEASED:QUOTA");
    assertDrainedAndClean(dispatched());
  }

  @Test
  void concurrencyLimitIsReleasedByResults() {
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
  void tenantDefaultDeadlineAppliesWhenTheInvocationGivesNone() {
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
  void aFullBufferRejectsWithBufferFull() {
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
  void aConfigChangeAppliesMidStreamWithoutRestart() {
    settings(quota(1, 1, 1000, 1000));
    for (int i = 0; i < 5; i++) send(call("c" + i));
    assertThat(dispatched()).hasSize(1);
    settings(quota(1000, 100, 1000, 1000));
    at(T0 + 1000); // within the longest sleep of a backlogged tenant
    assertThat(dispatched()).hasSize(5);
    assertDrainedAndClean(dispatched());
  }

  @Test
  void functionsNotAllowedAndUnknownTenantsAreRejected() {
    settings(new TenantSettings(TENANT, 1000, 1000, 10, 1, 1000, List.of("resize"), null, 0));
    send(call("echo-call"));
    assertThat(outcomes()).extracting(Outcome::reason).containsExactly(ReasonCode.UNKNOWN_FUNCTION);

    open(null); // policy: reject tenants without settings
    send(call("stranger"));
    assertThat(outcomes()).extracting(Outcome::reason).containsExactly(ReasonCode.UNKNOWN_TENANT);
    assertDrainedAndClean(List.of());
  }

  @Test
  void backloggedTenantsShareTheCapacityByWeight() {
    sim = new FuncBufferSim(bufferSettings(1000, null), T0);
    Map<String, Integer> weights = Map.of("w1", 1, "w2", 2, "w5", 5);
    weights.forEach(
        (t, w) ->
            sim.settings(
                new TenantSettings(t, 10_000, 250, 1_000_000, w, 1_000_000, List.of(), null, 0)));
    long start = T0 + 5000;
    weights.forEach(
        (t, w) -> {
          for (int i = 0; i < 4000 * w; i++) {
            sim.send(
                invocation(t + "-" + i, t, "echo", Criticality.NORMAL, 0, T0, start, null, null));
          }
        });
    for (long t = T0; t <= start + 10_000; t += 10) at(t);
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (Invocation inv : sim.kept().dispatched()) {
      if (inv.dispatchedAt() >= start + 2000) counts.merge(inv.tenant(), 1L, Long::sum);
    }
    // 8 s at 1,000/s, split 1:2:5
    assertThat(counts.get("w1")).isBetween(900L, 1100L);
    assertThat(counts.get("w2")).isBetween(1800L, 2200L);
    assertThat(counts.get("w5")).isBetween(4500L, 5500L);
  }
}
