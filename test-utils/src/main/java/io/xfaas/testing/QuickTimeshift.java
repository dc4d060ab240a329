package io.xfaas.testing;

import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.TimeshiftSettings;
import java.nio.file.Path;
import java.util.List;

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
            60,
            240.0,
            0.01,
            ReplaySettings.Spread.EVEN,
            ReplaySettings.RunTime.AVERAGE,
            2.0 / 240.0, // run times stretched: the pool is sized for the mean, not the peak
            10_000,
            0.1,
            0.3,
            1_800_000,
            new ReplaySettings.Spike("spike", 610, 6, 1500, 17_000, 0.8),
            1);
    return new TimeshiftSettings(
        trace,
        spiked,
        3,
        List.of(1_800_000L, 3_600_000L), // 30 and 60 min of trace time: half the day, all of it
        3_600_000L, // the spike is a batch tenant's: its DEFERRABLE calls may take the whole day
        2,
        2,
        1000,
        1,
        0,
        20_000,
        1000,
        outDir,
        scratchDir,
        true,
        null,
        null);
  }
}
