package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.LoadReport;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sidecar's load report from a period's per-function feedback, on a driven clock. */
class LoadReporterTest {
  private final AtomicLong now = new AtomicLong(10_000);
  private final LoadReporter reporter =
      new LoadReporter("eu", "xfaas.load", "xfaas-sidecar-1", now::get);

  private static FunctionFeedback fb(String fn, long completions, long p50) {
    return new FunctionFeedback(
        fn, "s", "eu", 0, 0, completions, 0, 0, 0, p50, p50, 4, 0, 0, 8, 4, 0.5);
  }

  @Test
  void capacityIsSlotsOverTheMeanLatency() {
    now.addAndGet(1_000);
    LoadReport r = reporter.report(List.of(fb("a", 30, 100), fb("b", 10, 300)), 8, 0.25);
    // mean latency (30 x 100 + 10 x 300) / 40 = 150 ms: 8 slots x 1000 / 150
    assertThat(r.capacityPerSecond()).isCloseTo(8 * 1000 / 150.0, within(1e-9));
    assertThat(r.dispatchRate()).isCloseTo(40.0, within(1e-9));
    assertThat(r.utilization()).isCloseTo(0.25, within(1e-9));
    assertThat(r.kind()).isEqualTo(LoadReport.SIDECAR);
    assertThat(r.region()).isEqualTo("eu");
    assertThat(r.reportedAt()).isEqualTo(11_000);
    assertThat(r.periodMs()).isEqualTo(1_000);
    assertThat(r.reporter()).startsWith("xfaas-sidecar-1-");
  }

  @Test
  void aSaturatedSidecarReportsWhatItCompletes() {
    now.addAndGet(2_000);
    LoadReport r = reporter.report(List.of(fb("a", 40, 100)), 2, 1.0);
    assertThat(r.utilization()).isEqualTo(1.0);
    assertThat(r.capacityPerSecond()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void anIdleSidecarKeepsItsLastEstimateAndStillReports() {
    assertThat(reporter.report(List.of(), 8, 0.0).capacityPerSecond()).isZero(); // unknown yet
    now.addAndGet(1_000);
    reporter.report(List.of(fb("a", 10, 200)), 8, 0.125);
    now.addAndGet(1_000);
    LoadReport idle = reporter.report(List.of(), 8, 0.0);
    assertThat(idle.capacityPerSecond()).isCloseTo(40.0, within(1e-9));
    assertThat(idle.dispatchRate()).isZero();
    assertThat(idle.reportedAt()).isEqualTo(12_000);
  }
}
