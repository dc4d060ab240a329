package io.xfaas.bench.timeshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.local.Directories;
import io.xfaas.replay.ReplaySettings;
import io.xfaas.replay.TimeshiftSettings;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The quick time-shifting benchmark ({@code xfaas replay --quick}) end to end (broker, MiniCluster,
 * scheduler job, sidecars, two replays), producing its table and chart. The controller's quality is
 * the full benchmark's business, not asserted here.
 */
class TimeshiftBenchITCase {

  static final Path TRACE =
      Path.of("../workloads/azure-functions-2019-sample100").toAbsolutePath().normalize();

  /**
   * What {@code xfaas replay --quick --trace TRACE --out OUT --scratch-dir SCRATCH} hands the
   * benchmark (the cli's ReplayCommandTest checks that it does).
   */
  static TimeshiftSettings quick(Path trace, Path outDir, Path scratchDir) {
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
    ReplaySettings base = spiked.withoutSpike();
    return new TimeshiftSettings(
        trace, base, spiked, 2, 2, 1000, 1, 0, 12_500, 1000, outDir, scratchDir, true, null, null);
  }

  @Test
  void theQuickBenchmarkRunsBothReplaysAndWritesItsTableAndChart() throws Exception {
    Path outDir = Path.of("target/tmp/timeshift-it").toAbsolutePath();
    Directories.deleteRecursively(outDir);
    StringWriter out = new StringWriter();

    long t0 = System.nanoTime();
    boolean completed =
        new TimeshiftBench(
                quick(TRACE, outDir, Path.of("target/tmp").toAbsolutePath()), new PrintWriter(out))
            .run();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

    assertThat(completed).as(out.toString()).isTrue();
    assertThat(seconds).as("the quick benchmark's run time").isLessThanOrEqualTo(90);
    String printed = out.toString();
    assertThat(printed)
        .contains("| received peak-to-trough |")
        .contains("| dispatched peak-to-trough |")
        .contains("| DEFERRABLE misses among feasible |")
        .contains("| CRITICAL queueing delay p99 (ms) |")
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
    String report = Files.readString(md.get(0));
    assertThat(report).contains("| received peak-to-trough |").contains("without spike");
    // Both runs saw their calls: the spike run has more arrivals than the base run.
    assertThat(report)
        .containsPattern(
            "\\| calls arrived \\(DurableQ, first attempts\\) \\| [1-9]\\d* \\| [1-9]\\d* \\|");
    BufferedImage image = ImageIO.read(png.get(0).toFile());
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(Files.size(png.get(0))).isGreaterThan(5_000);
  }
}
