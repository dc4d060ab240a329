package io.xfaas.bench.timeshift;

import static io.xfaas.bench.timeshift.RecordJson.deferrable;
import static io.xfaas.bench.timeshift.RecordJson.json;
import static io.xfaas.bench.timeshift.RecordJson.load;
import static io.xfaas.bench.timeshift.RecordJson.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.bench.timeshift.TimeshiftAnalysis.Window;
import io.xfaas.replay.RunRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeshiftAnalysisTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  /** Six 1 s buckets: arrivals 5, 2, 8, 4, 2, 9 per bucket; dispatches at the same times. */
  private static RunRecords bursty() {
    RunRecords r = new RunRecords();
    int[] perBucket = {5, 2, 8, 4, 2, 9};
    int n = 0;
    for (int b = 0; b < perBucket.length; b++) {
      for (int i = 0; i < perBucket[b]; i++) {
        long at = T0 + b * 1000L + i * 10;
        String id = "c" + n++;
        r.addDurableQ(
            json("{\"id\":\"%s\",\"criticality\":\"NORMAL\",\"submittedAt\":%d}", id, at));
        r.addRunQ(json("{\"id\":\"%s\",\"submittedAt\":%d,\"dispatchedAt\":%d}", id, at, at + 500));
      }
    }
    return r;
  }

  @Test
  void peakToTroughLeavesOutTheEdgeBuckets() {
    RunSummary s = TimeshiftAnalysis.analyze("x", bursty(), new Window(T0, T0 + 6000, 1000, 1, 0));

    assertThat(s.arrivals()).startsWith(5, 2, 8, 4, 2, 9);
    assertThat(s.firstCounted()).isEqualTo(1);
    assertThat(s.endCounted()).isEqualTo(5);
    // Buckets 1..4: 2, 8, 4, 2.
    assertThat(s.receivedPeakToTrough()).isEqualTo(4.0);
    assertThat(s.arrived()).isEqualTo(30);
  }

  @Test
  void deferrableMissesCountOnlyFeasibleDeadlines() {
    RunRecords r = new RunRecords();
    // Feasible (10 s for a 100 ms run), met.
    r.addDurableQ(deferrable("met", T0, T0 + 10_000, 100));
    r.addOutcome(outcome("met", "SUCCEEDED", T0, T0 + 5_000));
    // Feasible, finished after its deadline.
    r.addDurableQ(deferrable("late", T0, T0 + 10_000, 100));
    r.addOutcome(outcome("late", "SUCCEEDED", T0, T0 + 10_001));
    // ... because it was released after deadline - run time.
    r.addRunQ(
        json(
            "{\"id\":\"late\",\"criticality\":\"DEFERRABLE\",\"submittedAt\":%d,"
                + "\"dispatchedAt\":%d}",
            T0, T0 + 9_950));
    // Feasible, expired.
    r.addDurableQ(deferrable("expired", T0, T0 + 10_000, 100));
    r.addOutcome(outcome("expired", "EXPIRED", T0, T0 + 10_000));
    // Feasible, never heard of again.
    r.addDurableQ(deferrable("lost", T0, T0 + 10_000, 100));
    // Infeasible: 1 s deadline for a 2 s run.
    r.addDurableQ(deferrable("hopeless", T0, T0 + 1_000, 2_000));
    r.addOutcome(outcome("hopeless", "EXPIRED", T0, T0 + 1_000));

    RunSummary s = TimeshiftAnalysis.analyze("x", r, new Window(T0, T0 + 6000, 1000, 1, 500));

    assertThat(s.deferrable()).isEqualTo(5);
    assertThat(s.deferrableFeasible()).isEqualTo(4);
    assertThat(s.deferrableMissed()).isEqualTo(3);
    assertThat(s.deferrableNoOutcome()).isEqualTo(1);
    assertThat(s.deferrableLate()).isEqualTo(1);
    assertThat(s.deferrableMaxLateMs()).isEqualTo(1);
    assertThat(s.deferrableDispatchedLate()).isEqualTo(1);
    // Each miss with where its time went: "late" was dispatched 50 ms before its deadline, so
    // with a 100 ms run it had -50 ms of slack at dispatch; "lost" was never dispatched.
    assertThat(s.misses())
        .extracting(TimeshiftAnalysis.Miss::id)
        .containsExactlyInAnyOrder("late", "expired", "lost");
    TimeshiftAnalysis.Miss late =
        s.misses().stream().filter(m -> m.id().equals("late")).findFirst().orElseThrow();
    assertThat(late.slackAtDispatchMs()).isEqualTo(-50);
    assertThat(late.status()).isEqualTo(io.xfaas.records.OutcomeStatus.SUCCEEDED);
    TimeshiftAnalysis.Miss lost =
        s.misses().stream().filter(m -> m.id().equals("lost")).findFirst().orElseThrow();
    assertThat(lost.slackAtDispatchMs()).isNull();
    assertThat(lost.sidecarWaitMs()).isNull();
  }

  @Test
  void criticalQueueingDelayPercentilesByNearestRankWithinTheCountedBuckets() {
    RunRecords r = new RunRecords();
    long t = T0 + 2000; // inside the counted buckets 1..4 of 1 s
    for (int i = 1; i <= 100; i++) {
      r.addDurableQ(json("{\"id\":\"k%d\",\"criticality\":\"CRITICAL\",\"submittedAt\":%d}", i, t));
      r.addRunQ(
          json(
              "{\"id\":\"k%d\",\"criticality\":\"CRITICAL\",\"submittedAt\":%d,\"dispatchedAt\":%d}",
              i, t, t + i * 10));
    }
    // A retry's dispatch is not queueing delay of a submission.
    r.addRunQ(
        json(
            "{\"id\":\"k1\",\"attempt\":2,\"criticality\":\"CRITICAL\",\"submittedAt\":%d,"
                + "\"dispatchedAt\":%d}",
            t, t + 99_999));
    // Submitted in the warm-up bucket: dispatched, but not part of the percentiles.
    r.addDurableQ(json("{\"id\":\"w\",\"criticality\":\"CRITICAL\",\"submittedAt\":%d}", T0));
    r.addRunQ(
        json(
            "{\"id\":\"w\",\"criticality\":\"CRITICAL\",\"submittedAt\":%d,\"dispatchedAt\":%d}",
            T0, T0 + 50_000));
    r.addDurableQ(json("{\"id\":\"k101\",\"criticality\":\"CRITICAL\",\"submittedAt\":%d}", t));

    RunSummary s = TimeshiftAnalysis.analyze("x", r, new Window(T0, T0 + 6000, 1000, 1, 0));

    assertThat(s.critical()).isEqualTo(102);
    assertThat(s.criticalP50Ms()).isEqualTo(500);
    assertThat(s.criticalP99Ms()).isEqualTo(990);
    assertThat(s.criticalUndispatched()).isEqualTo(1);
  }

  @Test
  void metricCountersAreSummedWhateverTheirNames() {
    RunRecords r = new RunRecords();
    r.addMetrics(
        json(
            "{\"tenant\":\"a\",\"periodStart\":1,\"periodEnd\":2,\"dispatched\":3,\"held\":2,\"buffered\":7,\"queueDelayP99Ms\":5}"));
    r.addMetrics(json("{\"tenant\":\"b\",\"periodStart\":1,\"periodEnd\":2,\"dispatched\":4}"));

    assertThat(r.metricTotals()).containsOnlyKeys("dispatched", "held");
    assertThat(r.metricTotals().get("dispatched")).isEqualTo(7);
  }

  @Test
  void theReportAndTheChartAreWritten() throws Exception {
    RunSummary a =
        TimeshiftAnalysis.analyze(
            "controller off", bursty(), new Window(T0, T0 + 6000, 1000, 1, 0));
    RunSummary b =
        TimeshiftAnalysis.analyze("controller on", bursty(), new Window(T0, T0 + 6000, 1000, 1, 0));
    Path png = dir.resolve("c.png");

    TimeshiftChart.write(png, List.of(a, b));
    String md = TimeshiftReport.markdown("T", List.of("setup"), a, b, "c.png", "spike");

    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1200);
    assertThat(Files.size(png)).isGreaterThan(1000);
    assertThat(md)
        .contains("| received peak-to-trough | 4.00x | 4.00x |")
        .contains("CRITICAL p99 queueing delay")
        .contains("Deadline misses among feasible DEFERRABLE calls")
        .contains("| controller off | controller on |")
        .contains("Sidecar pool utilization")
        .contains("![arrivals and dispatches](c.png)");
  }

  @Test
  void withSeveralDaysOnlyTheLastIsMeasuredAndTheLevelIsTheDayBeforesMean() {
    // Two "days" of 6 buckets: the first with 12 arrivals a bucket, the second bursty().
    RunRecords r = new RunRecords();
    for (int b = 0; b < 6; b++) {
      for (int i = 0; i < 12; i++) {
        r.addDurableQ(
            json(
                "{\"id\":\"d1-%d-%d\",\"criticality\":\"NORMAL\",\"submittedAt\":%d}",
                b, i, T0 - 6000 + b * 1000L + i));
      }
    }
    RunRecords second = bursty();
    second.arrivals().forEach(a -> r.arrivals().add(a));
    second.dispatches().forEach(d -> r.dispatches().add(d));

    RunSummary s =
        TimeshiftAnalysis.analyze("x", r, new Window(T0 - 6000, T0 + 6000, 1000, 1, 0, T0));

    assertThat(s.firstCounted()).as("day 2's first bucket + the edge").isEqualTo(7);
    assertThat(s.endCounted()).isEqualTo(11);
    assertThat(s.receivedPeakToTrough()).as("day 2's buckets 1..4: 2, 8, 4, 2").isEqualTo(4.0);
    assertThat(s.levelPerSecond()).isEqualTo(12.0);
  }

  @Test
  void utilizationIsExecutionTimeOverSlotTimeAndTheHeldBacklogIsTheLatestReports() {
    RunRecords r = new RunRecords();
    // 2 slots over counted buckets 1..4 (4 s = 8 slot-seconds): one call busy 2 s inside, one
    // from 0.5 s before the counted span to 1 s into it (1 s counted): 3 of 8.
    r.addOutcome(
        json(
            "{\"id\":\"a\",\"status\":\"SUCCEEDED\",\"submittedAt\":%d,\"startedAt\":%d,"
                + "\"finishedAt\":%d}",
            T0, T0 + 2000, T0 + 4000));
    r.addOutcome(
        json(
            "{\"id\":\"b\",\"status\":\"SUCCEEDED\",\"submittedAt\":%d,\"startedAt\":%d,"
                + "\"finishedAt\":%d}",
            T0, T0 + 500, T0 + 2000));
    r.addLoad(load("scheduler-0", T0 + 1200, 7, 0));
    r.addLoad(load("scheduler-1", T0 + 1500, 3, 0));
    r.addLoad(load("scheduler-0", T0 + 2100, 1, 0));
    r.addLoad(json("{\"kind\":\"sidecar\",\"reporter\":\"s\",\"reportedAt\":%d}", T0 + 2200));

    RunSummary s = TimeshiftAnalysis.analyze("x", r, new Window(T0, T0 + 6000, 1000, 1, 0), 2);

    assertThat(s.utilization()).isEqualTo(3.0 / 8);
    // Mean run 1.75 s: 2 slots run 2 / 1.75 calls a second.
    assertThat(s.capacityPerSecond())
        .isCloseTo(2 / 1.75, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(s.held()).startsWith(0, 10, 4, 4);
  }
}
