package io.xfaas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsAndReportTest {

  @Test
  void medianAndPercentiles() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) v[i] = 100 - i;
    assertThat(Stats.percentile(v, 50)).isEqualTo(50);
    assertThat(Stats.percentile(v, 99)).isEqualTo(99);
    assertThat(Stats.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void threadsAreGroupedByComponent() {
    assertThat(Component.of("data-plane-kafka-request-handler-3")).isEqualTo(Component.BROKER);
    assertThat(Component.of("kafka-producer-network-thread | bench-loader"))
        .isEqualTo(Component.HARNESS);
    assertThat(Component.of("kafka-producer-network-thread | xfaas-sidecar-2"))
        .isEqualTo(Component.SIDECARS);
    assertThat(Component.of("kafka-producer-network-thread | producer-xfaas-r-scheduler-runq-0-1"))
        .isEqualTo(Component.FLINK);
    assertThat(Component.of("xfaas-sidecar-1-poll")).isEqualTo(Component.SIDECARS);
    assertThat(Component.of("FuncBuffer (1/1)#0")).isEqualTo(Component.FLINK);
  }

  @Test
  void reportComputesRatiosAndTargets() {
    Throughput pass = throughput("pass", 0, 100_000);
    Throughput f10k = throughput("Keyed-state floor, 10,000 tenants", 10_000, 80_000);
    Throughput s10k = throughput("s10k", 10_000, 70_000);
    Throughput fHeap = throughput("Keyed-state floor, 10,000 tenants, heap state", 10_000, 200_000);
    Throughput sHeap = throughput("s10k heap", 10_000, 50_000);
    Throughput s1m = throughput("s1m", 1_000_000, 35_000);
    Throughput e2e = throughput("e2e", 10_000, 20_000);
    Throughput e2eEo = throughput("e2e eo", 10_000, 10_000);
    Throughput sidecar = throughput("sidecar", 10_000, 60_000);
    BenchReport r =
        new BenchReport(
            Instant.parse("2026-01-01T00:00:00Z"),
            Duration.ofMinutes(3),
            "- cores: 2",
            "1.0 1.0 1.0",
            BenchSettings.quickDefaults(),
            200,
            List.of(),
            pass,
            List.of(f10k),
            List.of(s10k, s1m),
            List.of(fHeap, sHeap),
            e2e,
            e2eEo,
            sidecar,
            List.of(
                new Latency("submit→dispatch (end to end)", 0.5, 10_000, 40, 300, 1000),
                new Latency("submit→outcome", 0.5, 10_000, 900, 1800, 1000),
                new Latency("submit→outcome (RunQ exactly-once)", 0.5, 5_000, 1500, 2500, 500)),
            new StateSize(1000, 10, 990, 300_000, 3_000));

    assertThat(r.ratio(s10k)).isEqualTo(0.7);
    assertThat(r.floorRatio(s10k)).isEqualTo(0.875);
    assertThat(r.floorRatio(sHeap)).isEqualTo(0.25);
    assertThat(r.floorRatio(s1m)).isNaN(); // no floor measured at 1,000,000
    assertThat(r.floorRatio(pass)).isNaN();
    assertThat(r.throughputs())
        .containsExactly(pass, f10k, s10k, s1m, fHeap, sHeap, e2e, e2eEo, sidecar);
    assertThat(r.tenantSlowdown()).isEqualTo(2.0);
    assertThat(r.state().bytesPerBuffered()).isEqualTo(300.0);
    String md = r.markdown();
    assertThat(md)
        .contains("| scheduler alone, 10,000 tenants ≥ 0.35× pass-through | 0.70× | yes |")
        .contains("| scheduler alone, 10,000 tenants ≥ 0.7× keyed-state floor | 0.88× | yes |")
        .contains("| checkpointed bytes per buffered invocation ≤ 139 | 300 | **no** |")
        .contains("| s10k | 70,000 | 10,000 | 70,000 | 70,000 | 0.70 | 0.88 |")
        .doesNotContain("| scheduler alone, 1,000,000 tenants ≥")
        .contains("| end to end ≥ 0.12× pass-through | 0.20× | yes |")
        .contains(
            "| submit→dispatch (end to end) at 50 %: p50 ≤ 50 ms, p99 ≤ 250 ms | 40 / 300 ms | **no** |")
        .contains(
            "| submit→outcome at 50 %: p50 ≤ 400 ms, p99 ≤ 1000 ms | 900 / 1800 ms | **no** |")
        .contains("| one sidecar, no-op calls ≥ 50,000/s | 60,000/s | yes |")
        .doesNotContain("| submit→outcome (RunQ exactly-once) at 50 %")
        .contains("| 1,000,000 tenants ≤ 1.5× slower than 10,000 | 2.00× slower | **no** |")
        .contains("| submit→outcome | 50 % | 10,000 | 900 | 1800 | 1,000 |")
        .doesNotContain("Options set for this run");
  }

  @Test
  void aRunWithOptionsSetSaysWhichInItsHeader() {
    Throughput t = throughput("x", 10, 1_000);
    BenchSettings set =
        BenchSettings.quickDefaults()
            .with(
                b ->
                    b.overrides =
                        Map.of(
                            "xfaas.scheduler.producer-linger", "5ms",
                            "xfaas.scheduler.checkpoint-interval", "300ms"));
    BenchReport r =
        new BenchReport(
            Instant.parse("2026-01-01T00:00:00Z"),
            Duration.ofMinutes(1),
            "- cores: 2",
            "1.0 1.0 1.0",
            set,
            200,
            List.of(),
            t,
            List.of(),
            List.of(t),
            List.of(),
            t,
            t,
            t,
            List.of(),
            new StateSize(1000, 10, 990, 300_000, 3_000));
    assertThat(r.markdown())
        .contains(
            "Options set for this run (not the defaults):"
                + " `xfaas.scheduler.checkpoint-interval=300ms`,"
                + " `xfaas.scheduler.producer-linger=5ms`.");
  }

  private static Throughput throughput(String name, int tenants, double rate) {
    return new Throughput(
        name,
        tenants,
        List.of(
            new Throughput.Run(
                (long) rate, 1_000_000_000L, tenants, Map.of(Component.FLINK, 1_000_000L), true)));
  }
}
