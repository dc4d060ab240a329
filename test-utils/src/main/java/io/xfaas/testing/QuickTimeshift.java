package io.xfaas.testing;

import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.TimeshiftSettings;
import java.nio.file.Path;

/**
 * What {@code xfaas replay --quick --out OUT --scratch-dir SCRATCH} hands the time-shifting
 * benchmark: the cli's ReplayCommandTest checks that it does, and the benchmarks module's
 * TimeshiftBenchITCase runs it.
 */
public final class QuickTimeshift {
  private QuickTimeshift() {}

  public static TimeshiftSettings settings(Path trace, Path outDir, Path scratchDir) {
    ReplaySettings spiked =
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
            1);
    return new TimeshiftSettings(
        trace,
        spiked.withoutSpike(),
        spiked,
        2,
        2,
        1000,
        1,
        0,
        12_500,
        1000,
        outDir,
        scratchDir,
        true,
        null,
        null);
  }
}
