package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.TimeshiftSettings;
import io.xfaas.testing.QuickTimeshift;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What {@code xfaas replay --quick} hands the time-shifting benchmark, which runs in a JVM of its
 * own ({@link QuickTimeshift}, which the benchmarks module's TimeshiftBenchITCase runs).
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
    ReplaySettings spiked = replay.settings();
    TimeshiftSettings bench = replay.timeshiftSettings(spiked, Path.of("/trace"));

    TimeshiftSettings quick =
        QuickTimeshift.settings(Path.of("/trace"), Path.of("/tmp/out"), Path.of("/tmp/scratch"));
    assertThat(spiked).isEqualTo(quick.replay());
    assertThat(bench).isEqualTo(quick);
  }
}
