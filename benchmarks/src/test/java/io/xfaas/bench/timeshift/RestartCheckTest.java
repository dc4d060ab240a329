package io.xfaas.bench.timeshift;

import static io.xfaas.bench.timeshift.RecordJson.deferrable;
import static io.xfaas.bench.timeshift.RecordJson.json;
import static io.xfaas.bench.timeshift.RecordJson.load;
import static io.xfaas.bench.timeshift.RecordJson.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.bench.timeshift.TimeshiftAnalysis.Window;
import io.xfaas.replay.RunRecords;
import org.junit.jupiter.api.Test;

class RestartCheckTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long FAULT = T0 + 5_000;
  private static final long RECOVERED = T0 + 8_000;
  private static final long MARGIN = 1_000;

  private static RestartCheck check(RunRecords r) {
    RunSummary s = TimeshiftAnalysis.analyze("x", r, new Window(T0, T0 + 20_000, 1000, 1, 0));
    return RestartCheck.of(s, r, FAULT, RECOVERED, 7, MARGIN);
  }

  /** A DEFERRABLE call of 100 ms, due at {@code deadline}, that finished at {@code finishedAt}. */
  private static void ran(RunRecords r, String id, long deadline, long finishedAt) {
    r.addDurableQ(deferrable(id, T0, deadline, 100));
    r.addOutcome(outcome(id, "SUCCEEDED", T0, finishedAt));
  }

  @Test
  void levelAndHeldBacklogAreTheLastReportsBeforeTheFaultAndTheRestoredJobsFirst() {
    RunRecords r = new RunRecords();
    r.addLoad(load("scheduler-0", T0 + 3_000, 40, 10.0));
    r.addLoad(load("scheduler-1", T0 + 3_500, 20, 5.0));
    r.addLoad(load("scheduler-0", T0 + 4_000, 50, 12.0)); // the last before the fault
    r.addLoad(load("scheduler-0", T0 + 7_900, 45, 12.5)); // the restored job's first
    r.addLoad(load("scheduler-1", T0 + 9_200, 18, 5.0));
    r.addLoad(load("scheduler-0", T0 + 8_900, 0, 12.5)); // later, read out of order
    r.addLoad(load("scheduler-0", T0 + 10_000, 1, 12.5));
    r.addLoad(json("{\"kind\":\"sidecar\",\"reporter\":\"s\",\"reportedAt\":%d}", T0 + 4_500));

    RestartCheck c = check(r);

    assertThat(c.heldBefore()).isEqualTo(70);
    assertThat(c.levelBefore()).isEqualTo(17.0);
    assertThat(c.heldAfter()).isEqualTo(63);
    assertThat(c.levelAfter()).isEqualTo(17.5);
    assertThat(c.restoredCheckpoint()).isEqualTo(7);
    assertThat(c.outageMs()).isEqualTo(3_000);
  }

  @Test
  void lostCallsAndSecondOutcomesAreCounted() {
    RunRecords r = new RunRecords();
    ran(r, "once", T0 + 60_000, T0 + 1_000);
    ran(r, "twice", T0 + 60_000, T0 + 1_000);
    r.addOutcome(outcome("twice", "SUCCEEDED", T0, T0 + 9_000));
    r.addDurableQ(deferrable("never", T0, T0 + 60_000, 100));

    RestartCheck c = check(r);

    assertThat(c.accepted()).isEqualTo(3);
    assertThat(c.lost()).isEqualTo(1);
    assertThat(c.duplicateOutcomes()).isEqualTo(1);
  }

  @Test
  void missesWhoseLatestStartFellInTheOutageAreCountedApart() {
    RunRecords r = new RunRecords();
    // Latest start 6.9 s: inside the outage.
    ran(r, "in-outage", T0 + 7_000, T0 + 8_500);
    // Latest start 8.9 s: within the margin after the recovery, still the outage's.
    ran(r, "just-after", T0 + 9_000, T0 + 9_500);
    // Latest start 11.9 s: the controller's to meet.
    ran(r, "later", T0 + 12_000, T0 + 12_500);
    // Latest start 3.9 s: before the fault.
    ran(r, "before", T0 + 4_000, T0 + 4_500);
    // Met.
    ran(r, "met", T0 + 12_000, T0 + 11_000);

    RestartCheck c = check(r);

    assertThat(c.outageMisses()).isEqualTo(2);
    assertThat(c.otherMisses()).isEqualTo(2);
    assertThat(c.lost()).isZero();
  }
}
