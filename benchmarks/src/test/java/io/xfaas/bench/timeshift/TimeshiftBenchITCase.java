package io.xfaas.bench.timeshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import io.xfaas.local.Directories;
import io.xfaas.scheduler.sim.FidelityCheck;
import io.xfaas.testing.QuickTimeshift;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The quick time-shifting benchmark ({@code xfaas replay --quick}) end to end: broker, MiniCluster,
 * scheduler job, sidecars; an hour of the trace (15 s) with a batch tenant's spike played twice
 * (the first teaches the level-seeking controller the "day"; on the second its held spike fills the
 * troughs), on a pool sized for the mean demand, with the controller off and on; measured on the
 * second. Asserts what the controller is for, with stated margins:
 *
 * <ul>
 *   <li>the controller-on run executes flatter: its executed peak-to-trough is at most {@link
 *       #FLATTER} of the controller-off run's;
 *   <li>no feasible DEFERRABLE deadline is missed with the controller on;
 *   <li>CRITICAL is not delayed: its p99 queueing delay with the controller on is within {@link
 *       #CRITICAL_RATIO} of off's, plus {@link #CRITICAL_SLACK_MS} for a busy CI machine (the quick
 *       day has a few dozen CRITICAL calls, so its p99 is nearly its maximum).
 * </ul>
 *
 * <p>Each measured run is also simulated with no change ({@code xfaas whatif --validate}), once all
 * runs are over: the spike's counts are the controller-on run's (its delays are printed).
 *
 * <p>A third run, the controller on again, loses the MiniCluster's TaskManager on the measured day
 * in the middle of the spike, while the spike's calls are held ({@link #RESTART_AT}); the job
 * restarts from its latest checkpoint. The controller keeps its level and its held plan: the level
 * in the restored job's first load report is the one before (within {@link #LEVEL_TOLERANCE}), the
 * held backlog is still there (at least {@link #HELD_KEPT} of it: not forgotten, not released at
 * once on restore), and no call is lost or gets a second outcome. Deadlines missed in that run are
 * reported, not asserted: the outage takes 2 s of the held calls' slack, and its catch-up queues at
 * the sidecars.
 *
 * <p>It fails with the controller off in both runs (no flattening), with deadlines ignored
 * (misses), with CRITICAL work held, or with the controller's profile or held plan kept on the
 * heap.
 */
class TimeshiftBenchITCase {

  static final Path TRACE =
      Path.of("../workloads/azure-functions-2019-sample100").toAbsolutePath().normalize();

  static final double FLATTER = 0.75;
  static final double CRITICAL_RATIO = 1.1;
  static final long CRITICAL_SLACK_MS = 100;

  /**
   * Day 2 (15 to 30 s) has its spike 2.5 to 4 s in: at its end, the spike's calls are held, with 3
   * to 14 s of slack.
   */
  static final Duration RESTART_AT = Duration.ofMillis(19_500);

  static final double LEVEL_TOLERANCE = 10; // percent

  /** The quick day's batch tenant, whose DEFERRABLE spike the controller time-shifts. */
  static final String SPIKE = "spike";

  static final double HELD_KEPT = 0.5;

  @Test
  void theControllerFlattensTheQuickDayMissingNoDeadlineAndNotDelayingCritical() throws Exception {
    Path outDir = Path.of("target/tmp/timeshift-it").toAbsolutePath();
    Directories.deleteRecursively(outDir);
    StringWriter out = new StringWriter();

    long t0 = System.nanoTime();
    TimeshiftBench bench =
        new TimeshiftBench(
            QuickTimeshift.settings(TRACE, outDir, Path.of("target/tmp").toAbsolutePath()),
            new PrintWriter(out));
    bench.withRestartAt(RESTART_AT);
    bench.withFidelityCheck();
    boolean completed = bench.run();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

    String printed = out.toString();
    assertThat(completed).as(printed).isTrue();
    assertThat(seconds).as("the quick benchmark's run time").isLessThanOrEqualTo(360);
    List<RunSummary> runs = bench.summaries();
    assertThat(runs)
        .extracting(RunSummary::label)
        .containsExactly("controller off", "controller on");
    RunSummary off = runs.get(0);
    RunSummary on = runs.get(1);

    // The measured day swings: the spike over the trace's hour.
    assertThat(on.receivedPeakToTrough()).as(printed).isGreaterThanOrEqualTo(3.0);
    assertThat(off.receivedPeakToTrough()).as(printed).isGreaterThanOrEqualTo(3.0);
    // Flatter with the controller, by the stated margin.
    assertThat(on.executedPeakToTrough())
        .as(printed)
        .isLessThanOrEqualTo(FLATTER * off.executedPeakToTrough());
    // It was the level-seeking controller that held work.
    assertThat(on.decisions()).as(printed).containsKey("DEFERRED (ABOVE_LEVEL)");
    assertThat(off.decisions().keySet()).as(printed).noneMatch(k -> k.startsWith("DEFERRED"));
    // No feasible deadline missed.
    assertThat(on.deferrableFeasible()).as(printed).isPositive();
    assertThat(on.deferrableMissed()).as(printed).isZero();
    // CRITICAL not delayed.
    assertThat(on.critical()).isPositive();
    assertThat(on.criticalUndispatched()).isZero();
    assertThat(off.criticalP99Ms()).as(printed).isNotNegative();
    assertThat(on.criticalP99Ms())
        .as(printed)
        .isLessThanOrEqualTo((long) (CRITICAL_RATIO * off.criticalP99Ms()) + CRITICAL_SLACK_MS);

    // What-if fidelity: the controller-on run's history simulated with no change holds the spike
    // as long as the job did (the other tenants' delays are Kafka's hops and ms-level timing,
    // which no two real runs agree on: docs/whatif.md).
    FidelityCheck.Row spike = bench.fidelityChecks().get("controller on").row(SPIKE);
    assertThat(spike).as(printed).isNotNull();
    assertThat(spike.countsEqual()).as(printed).isTrue();
    // The controller held the spike's tail for seconds (its median waits on the level's room at
    // that moment: 2.9-4.0 s in most runs, 637 ms in one fresh-clone CI run).
    assertThat(spike.actual().delayP99Ms()).as(printed).isGreaterThan(1000);
    // Its delays are printed, not bounded, live: one fresh-clone CI run of four held the spike's
    // p99 call 10.0 s where its simulation held it 13.3 s (+33 %). TimeshiftFidelityTest holds
    // two fixed recordings of this run to 15 % on p50 and p99.

    // Restarted from a checkpoint mid-day: the level and the held plan survive.
    RestartCheck restart = bench.restartCheck();
    assertThat(restart).as(printed).isNotNull();
    assertThat(restart.restoredCheckpoint()).as(printed).isPositive();
    assertThat(restart.heldBefore()).as("held at the fault: " + printed).isPositive();
    assertThat(restart.levelBefore()).as(printed).isPositive();
    assertThat(restart.levelAfter())
        .as(printed)
        .isCloseTo(restart.levelBefore(), withinPercentage(LEVEL_TOLERANCE));
    assertThat(restart.heldAfter())
        .as(printed)
        .isGreaterThanOrEqualTo((long) (HELD_KEPT * restart.heldBefore()));
    assertThat(restart.lost()).as(printed).isZero();
    assertThat(restart.duplicateOutcomes()).as(printed).isZero();
    assertThat(restart.run().decisions()).as(printed).containsKey("DEFERRED (ABOVE_LEVEL)");

    // The report and the chart.
    assertThat(printed)
        .contains("| received peak-to-trough |")
        .contains("| executed peak-to-trough (startedAt) |")
        .contains("| DEFERRABLE misses among feasible |")
        .contains("CRITICAL p99 queueing delay:");
    List<Path> md;
    List<Path> png;
    try (var files = Files.list(outDir)) {
      List<Path> all = files.toList();
      md = all.stream().filter(p -> p.toString().endsWith("-quick.md")).toList();
      png = all.stream().filter(p -> p.toString().endsWith("-quick.png")).toList();
    }
    assertThat(md).hasSize(1);
    assertThat(png).hasSize(1);
    assertThat(Files.readString(md.get(0))).contains("| controller off | controller on |");
    BufferedImage image = ImageIO.read(png.get(0).toFile());
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(Files.size(png.get(0))).isGreaterThan(5_000);
  }
}
