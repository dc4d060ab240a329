package io.xfaas.bench.timeshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.local.Directories;
import io.xfaas.testing.QuickTimeshift;
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

  @Test
  void theQuickBenchmarkRunsBothReplaysAndWritesItsTableAndChart() throws Exception {
    Path outDir = Path.of("target/tmp/timeshift-it").toAbsolutePath();
    Directories.deleteRecursively(outDir);
    StringWriter out = new StringWriter();

    long t0 = System.nanoTime();
    boolean completed =
        new TimeshiftBench(
                QuickTimeshift.settings(TRACE, outDir, Path.of("target/tmp").toAbsolutePath()),
                new PrintWriter(out))
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
