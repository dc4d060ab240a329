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
            1.0 / 240.0,
            10_000,
            0.1,
            0.3,
            1_800_000,
            new ReplaySettings.Spike("spike", 610, 6, 1500, 17_000, 0.8),
            1);
    return new TimeshiftSettings(
        trace,
        spiked,
        2,
        List.of(1_800_000L, 3_600_000L), // 30 and 60 min of trace time: half the day, all of it
        null, // the spike's deadlines drawn from the mix like the others'
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
