package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The what-if simulation under its virtual clock: the job's FuncBuffer, a modelled sidecar pool,
 * and changes to the policy's input that show in the result for the tenant changed and only there.
 */
class PolicySimulatorTest {
  private static final TenantSettings DEFAULT_QUOTA =
      new TenantSettings("*", 1000, 1000, 1000, 1, 100_000, List.of(), null, 0);
  private static final FuncBuffer.Settings BUFFER =
      new FuncBuffer.Settings("sim", 1_000_000, DEFAULT_QUOTA, 60_000, Duration.ofHours(1), 1000);

  private static TenantSettings tenant(String name, double rate, int burst, int concurrency) {
    return new TenantSettings(name, rate, burst, concurrency, 1, 100_000, List.of(), null, 0);
  }

  private static PolicySimulator.Setup setup(int slots, TenantSettings... tenants) {
    Map<String, TenantSettings> m = new HashMap<>();
    for (TenantSettings t : tenants) m.put(t.tenant(), t);
    return new PolicySimulator.Setup(BUFFER, m, slots, 300_000, 1000);
  }

  /** {@code perSecond} calls of {@code tenant} for {@code seconds}, evenly spaced. */
  private static List<SimCall> calls(
      String tenant, int perSecond, int seconds, long runMs, long deadlineAfterMs) {
    List<SimCall> out = new ArrayList<>();
    int n = perSecond * seconds;
    for (int i = 0; i < n; i++) {
      out.add(
          new SimCall(
              tenant + "-" + i,
              i * 1000L / perSecond,
              tenant,
              "f-" + tenant,
              Criticality.NORMAL,
              deadlineAfterMs,
              runMs));
    }
    return out;
  }

  private static List<SimCall> both(List<SimCall> a, List<SimCall> b) {
    List<SimCall> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private record Runs(SimResult before, SimResult after) {}

  /**
   * {@code calls} as recorded, then with tenant a's settings changed to {@code changedA}; checks
   * that tenant b, unchanged, comes out the same.
   */
  private static Runs changingA(
      PolicySimulator.Setup recorded, TenantSettings changedA, List<SimCall> calls) {
    SimResult before = PolicySimulator.run(recorded, calls);
    TenantSettings b = recorded.tenants().get("b");
    SimResult after =
        PolicySimulator.run(recorded.withTenants(Map.of("a", changedA, "b", b)), calls);
    assertThat(after.tenant("b")).as("the tenant not changed").isEqualTo(before.tenant("b"));
    return new Runs(before, after);
  }

  @Test
  void aTenantWithNoConcurrencyExpiresEverythingAndTheOthersAreUnchanged() {
    List<SimCall> calls = both(calls("a", 100, 10, 50, 5000), calls("b", 100, 10, 50, 5000));
    PolicySimulator.Setup recorded =
        setup(0, tenant("a", 1000, 100, 100), tenant("b", 1000, 100, 100));

    Runs r = changingA(recorded, tenant("a", 1000, 100, 0), calls);

    assertThat(r.before().tenant("a").dispatched()).isEqualTo(1000);
    assertThat(r.before().tenant("a").expired()).isZero();
    TenantFigures a = r.after().tenant("a");
    assertThat(a.dispatched()).isZero();
    assertThat(a.expired()).isEqualTo(1000);
    assertThat(a.deadlineMisses()).isEqualTo(1000);
    assertThat(a.throttled()).isPositive();
  }

  @Test
  void aBufferBoundOfZeroRejectsEverything() {
    List<SimCall> calls = both(calls("a", 100, 5, 50, 0), calls("b", 100, 5, 50, 0));
    PolicySimulator.Setup recorded =
        setup(0, tenant("a", 1000, 100, 100), tenant("b", 1000, 100, 100));
    TenantSettings admitsNothing =
        new TenantSettings("a", 1000, 100, 100, 1, 0, List.of(), null, 0);

    Runs r = changingA(recorded, admitsNothing, calls);

    assertThat(r.before().tenant("a").rejected()).isZero();
    assertThat(r.after().tenant("a").rejected()).isEqualTo(500);
    assertThat(r.after().tenant("a").dispatched()).isZero();
  }

  @Test
  void halvingAnOverloadedTenantsRateRaisesItsDelayAndLeavesTheOtherAlone() {
    // a sends 200/s for 10 s against a rate of 150/s: it queues. b sends 50/s well under its rate.
    List<SimCall> calls = both(calls("a", 200, 10, 20, 0), calls("b", 50, 10, 20, 0));
    TenantSettings b = tenant("b", 1000, 10, 1000);
    PolicySimulator.Setup recorded = setup(0, tenant("a", 150, 10, 1000), b);

    Runs r = changingA(recorded, tenant("a", 75, 10, 1000), calls);

    TenantFigures a0 = r.before().tenant("a");
    TenantFigures a1 = r.after().tenant("a");
    assertThat(a0.dispatched()).isEqualTo(2000);
    assertThat(a1.dispatched()).isEqualTo(2000);
    assertThat(a0.delayP99Ms()).isPositive();
    // 2,000 calls at 75/s take about 26.7 s: the last waits about 16.7 s; at 150/s about 3.3 s.
    assertThat(a1.delayP99Ms()).isGreaterThan(2 * a0.delayP99Ms());
    assertThat(a1.delayP50Ms()).isGreaterThan(a0.delayP50Ms());
    assertThat(a1.throttled()).isGreaterThanOrEqualTo(a0.throttled());
    assertThat(r.before().tenant("b").delayP99Ms()).isZero();
  }

  @Test
  void callsWaitInRunQForAFreeSidecarSlot() {
    // Three calls at once, each 1 s long: one slot runs them one after the other.
    List<SimCall> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(new SimCall("c" + i, 0, "a", "f", Criticality.NORMAL, 1500, 1000));
    }
    PolicySimulator.Setup oneSlot = setup(1, tenant("a", 1000, 100, 100));

    SimResult one = PolicySimulator.run(oneSlot, calls);
    SimResult three = PolicySimulator.run(oneSlot.withSlots(3), calls);

    assertThat(one.tenant("a").delayP99Ms()).isZero(); // the FuncBuffer let all go at once
    assertThat(one.tenant("a").startP50Ms()).isEqualTo(1000);
    assertThat(one.tenant("a").startP99Ms()).isEqualTo(2000);
    assertThat(one.tenant("a").deadlineMisses()).isEqualTo(1); // the third starts at 2 s > 1.5 s
    assertThat(one.executedPeak()).isEqualTo(1);
    assertThat(one.executed()).containsExactly(1L, 1L, 1L); // one start a second
    assertThat(three.tenant("a").startP99Ms()).isZero();
    assertThat(three.tenant("a").deadlineMisses()).isZero();
    assertThat(three.executedPeak()).isEqualTo(3);
    assertThat(three.executed()).containsExactly(3L);
  }

  @Test
  void aResultFreesTheTenantsConcurrencySlot() {
    List<SimCall> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      calls.add(new SimCall("c" + i, 0, "a", "f", Criticality.NORMAL, 0, 100));

    SimResult r = PolicySimulator.run(setup(0, tenant("a", 1000, 100, 1)), calls);

    // Concurrency 1: dispatched at 0, 100 and 200 ms, each when the one before finished.
    assertThat(r.tenant("a").dispatched()).isEqualTo(3);
    assertThat(r.tenant("a").delayP50Ms()).isEqualTo(100);
    assertThat(r.tenant("a").delayP99Ms()).isEqualTo(200);
    assertThat(r.tenant("a").throttled()).isEqualTo(2);
    assertThat(r.simulatedMs()).isEqualTo(300);
  }

  @Test
  void withTheSidecarsFeedbackDeferrableWorkWaitsWhileThePoolIsBusy() {
    // A NORMAL tenant keeps the 10 slots about full (100 calls/s of 100 ms); another sends
    // DEFERRABLE work with a 30 s deadline.
    List<SimCall> calls = calls("n", 100, 20, 100, 0);
    for (int i = 0; i < 100; i++) {
      calls.add(new SimCall("d-" + i, i * 100L, "d", "f-d", Criticality.DEFERRABLE, 30_000, 100));
    }
    PolicySimulator.Setup blind =
        setup(10, tenant("n", 1000, 100, 1000), tenant("d", 1000, 100, 1000));

    SimResult without = PolicySimulator.run(blind, calls);
    SimResult with = PolicySimulator.run(blind.withFeedback(1000), calls);

    // Without feedback the utilization controller sees no load: nothing is held.
    assertThat(without.tenant("d").deferred()).isZero();
    // With it, the pool's utilization (about 1) is over the target (0.8): DEFERRABLE work waits.
    assertThat(with.tenant("d").deferred()).isPositive();
    assertThat(with.tenant("d").delayP50Ms()).isGreaterThan(without.tenant("d").delayP50Ms());
    assertThat(with.tenant("d").dispatched() + with.tenant("d").expired()).isEqualTo(100);
  }

  @Test
  void aHeldCallWaitsForItsNotBeforeAndItsDelayCountsFromThere() {
    // Four calls held until 1 s; a rate of 2/s with a burst of 2: two go at 1 s, then one each
    // 0.5 s.
    List<SimCall> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(new SimCall("h" + i, i, 0, "a", "f", Criticality.NORMAL, 0, 1000L, 0, 10));
    }
    SimResult r = PolicySimulator.run(setup(0, tenant("a", 2, 2, 100)), calls);

    assertThat(r.tenant("a").dispatched()).isEqualTo(4);
    assertThat(r.tenant("a").delayP50Ms()).isZero(); // the first two, at their notBefore
    assertThat(r.tenant("a").delayP99Ms()).isEqualTo(1000); // the fourth, 1 s later
    assertThat(r.executed()).containsExactly(0L, 3L, 1L); // at 1 s, 1 s, 1.5 s; 2 s
  }

  @Test
  void aCallThatNeverReturnsKeepsItsTenantsConcurrencySlot() {
    List<SimCall> calls = new ArrayList<>();
    calls.add(new SimCall("stuck", 0, "a", "f", Criticality.NORMAL, 0, SimCall.NEVER));
    calls.add(new SimCall("next", 10, "a", "f", Criticality.NORMAL, 5_000, 10));

    SimResult r = PolicySimulator.run(setup(0, tenant("a", 1000, 100, 1)), calls);

    assertThat(r.tenant("a").dispatched()).isEqualTo(1);
    assertThat(r.tenant("a").expired()).isEqualTo(1);
  }

  @Test
  void aHundredThousandCallsSimulateInSeconds() {
    // 20 tenants, 1,000 calls/s in all for 100 s, 100 ms each on 200 slots; every fourth tenant
    // is throttled below what it sends, so its calls wait in the buffer.
    List<SimCall> calls = new ArrayList<>();
    Map<String, TenantSettings> tenants = new HashMap<>();
    for (int t = 0; t < 20; t++) {
      String name = "t" + t;
      calls.addAll(calls(name, 50, 100, 100, 60_000));
      tenants.put(name, tenant(name, t % 4 == 0 ? 40 : 1000, 10, 1000));
    }
    PolicySimulator.Setup s = new PolicySimulator.Setup(BUFFER, tenants, 200, 300_000, 1000);

    SimResult r = PolicySimulator.run(s, calls);

    System.out.printf(
        "PolicySimulator: %d calls, %.1f s simulated in %d ms%n",
        r.calls(), r.simulatedMs() / 1000.0, r.tookMs());
    assertThat(r.calls()).isEqualTo(100_000);
    assertThat(r.tenants().stream().mapToLong(TenantFigures::dispatched).sum()).isEqualTo(100_000);
    assertThat(r.tenant("t0").delayP99Ms()).isPositive();
    assertThat(r.tenant("t1").delayP99Ms()).isZero();
    // The bound (100,000 calls in under 30 s); the run takes a few seconds.
    assertThat(r.tookMs()).isLessThan(30_000);
  }
}
