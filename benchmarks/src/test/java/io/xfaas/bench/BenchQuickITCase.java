package io.xfaas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code xfaas bench --quick} end to end on a real broker and MiniCluster: every figure is
 * measured, positive, and lands in the table and the results file.
 */
class BenchQuickITCase {

  @Test
  void quickBenchProducesTheTableWithPositiveNumbers() throws Exception {
    Path target = Path.of("target", "tmp");
    Path out = target.resolve("bench-quick.md");
    Files.deleteIfExists(out);
    BenchSettings settings = BenchSettings.quickDefaults().withOut(out);

    BenchReport report =
        BenchRunner.run(settings, target.resolve("bench-" + System.nanoTime()), System.out);

    // Kafka's two, pass-through, floor and scheduler per tenant count, both on heap, end to end
    // with RunQ at least once and exactly once, one sidecar alone.
    assertThat(report.throughputs())
        .hasSize(2 + 1 + 2 * settings.tenantCounts().size() + 2 + 2 + 1);
    for (Throughput t : report.throughputs()) {
      assertThat(t.medianRate()).as(t.name()).isPositive();
      // Not asserted complete: on a loaded CI machine a tiny run may hit its limit, and still
      // measures (records visible by then over the time taken).
      assertThat(t.runs()).as(t.name()).allMatch(r -> r.records() > 0);
      assertThat(t.cpuMicrosPerRecord().get(Component.FLINK)).as(t.name()).isNotNegative();
    }
    String file = Files.readString(out);
    for (Throughput t : report.throughputs()) {
      // Every row of the throughput table has a finite rate and a finite ratio to pass-through,
      // as computed and as printed.
      assertThat(t.medianRate()).as(t.name()).isFinite();
      assertThat(report.ratio(t)).as(t.name() + " × pass-through").isFinite().isPositive();
      assertThat(file)
          .as("the table row of " + t.name())
          .containsPattern(
              "\\| "
                  + java.util.regex.Pattern.quote(t.name())
                  + " \\| "
                  + java.util.regex.Pattern.quote(String.format("%,d", t.medianRecords()))
                  + " \\|.*\\| "
                  + java.util.regex.Pattern.quote(String.format("%.2f", report.ratio(t)))
                  + " \\|");
    }
    assertThat(report.scheduler().get(0).cpuMicrosPerRecord().get(Component.FLINK)).isPositive();
    assertThat(report.endToEnd().cpuMicrosPerRecord().get(Component.SIDECARS)).isPositive();
    assertThat(report.sidecar().cpuMicrosPerRecord().get(Component.SIDECARS)).isPositive();
    // quick: end to end only, dispatch and outcome at 50 and 90 %, and at 50 % with RunQ exactly
    // once
    assertThat(report.latencies()).hasSize(6);
    assertThat(report.latencies())
        .allSatisfy(
            l -> {
              assertThat(l.samples()).as(l.path()).isPositive();
              assertThat(l.p50Ms()).as(l.path()).isPositive();
              assertThat(l.p99Ms()).as(l.path()).isGreaterThanOrEqualTo(l.p50Ms());
            });
    assertThat(report.state().buffered()).isPositive();
    assertThat(report.state().bytesPerBuffered()).isPositive();

    assertThat(file)
        .contains("## Machine", "cores:", "uname:", "## Targets", "## Throughput", "## Latency")
        .contains("Flink pass-through", "Scheduler alone, 1,000,000 tenants", "End to end")
        .contains("Keyed-state floor, 10,000 tenants", "heap state", "× floor")
        .contains("bytes per buffered invocation", "× pass-through");
    assertThat(report.elapsed()).isLessThan(Duration.ofMinutes(3));
  }
}
