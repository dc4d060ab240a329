package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.TimeshiftSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What {@code xfaas replay --quick} hands the time-shifting benchmark, which runs in a JVM of its
 * own; the benchmarks module's TimeshiftBenchITCase runs these settings.
 */
class ReplayCommandTest {

  @Test
  void theQuickBenchmarksSettings() {
    CommandLine cli = XfaasCli.commandLine();
    ReplayCommand replay =
        cli.parseArgs("replay", "--quick", "--out", "/tmp/out", "--scratch-dir", "/tmp/scratch")
            .subcommand()
            .commandSpec()
            .commandLine()
            .getCommand();
    ReplaySettings spiked = replay.settings(true, "spike");
    TimeshiftSettings bench = replay.timeshiftSettings(spiked, Path.of("/trace"));

    assertThat(spiked)
        .isEqualTo(
            new ReplaySettings(
                600,
                20,
                240.0,
                0.01,
                ReplaySettings.Spread.EVEN,
                ReplaySettings.RunTime.AVERAGE,
                1.0 / 240.0,
                10_000,
                0.1,
                0.3,
                1_800_000,
                new ReplaySettings.Spike("spike", 606, 8, 1500, 17_000, 0.8),
                1));
    assertThat(bench.base()).isEqualTo(spiked.withoutSpike());
    assertThat(bench.spiked()).isEqualTo(spiked);
    assertThat(bench)
        .extracting(
            TimeshiftSettings::sidecars,
            TimeshiftSettings::sidecarThreads,
            TimeshiftSettings::bucketMs,
            TimeshiftSettings::edgeBuckets,
            TimeshiftSettings::warmUpMs,
            TimeshiftSettings::drainMs,
            TimeshiftSettings::feasibilityMarginMs,
            TimeshiftSettings::outDir,
            TimeshiftSettings::scratchDir,
            TimeshiftSettings::quick)
        .containsExactly(
            2, 2, 1000L, 1, 0L, 12_500L, 1000L, Path.of("/tmp/out"), Path.of("/tmp/scratch"), true);
  }
}
