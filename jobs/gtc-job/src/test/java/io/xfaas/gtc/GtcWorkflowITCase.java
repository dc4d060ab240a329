package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.GtcDecision;
import io.xfaas.records.LoadReport;
import io.xfaas.testing.CollectingSink;
import io.xfaas.testing.FlinkClusterExtension;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link GtcWorkflow} on a MiniCluster with a bounded source of load reports and a collecting sink,
 * no Kafka: region a gets twice the calls it can run, region b has room, so a overflows into b.
 */
class GtcWorkflowITCase {
  /** One task manager with one slot: the job runs at parallelism 1. */
  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(1);

  /** Event time of the first report; every four reports (a and b, scheduler and sidecar) 250 ms. */
  private static final long T0 = 1_700_000_000_000L;

  private static final int REPORTS = 160;

  /**
   * Report {@code i}: the scheduler then the sidecar of a, then of b, at one event time. a: 200
   * calls/s arriving, capacity 100/s, fully busy; b: none arriving, capacity 100/s, idle.
   */
  static LoadReport report(long i) {
    String region = (i % 4) < 2 ? "a" : "b";
    boolean scheduler = i % 2 == 0;
    long at = T0 + (i / 4) * 250;
    boolean busy = region.equals("a");
    return scheduler
        ? new LoadReport(
            region,
            LoadReport.SCHEDULER,
            "scheduler-0",
            at,
            250,
            busy ? 200 : 0,
            0,
            0,
            0,
            0,
            0,
            0,
            0)
        : new LoadReport(
            region,
            LoadReport.SIDECAR,
            "sidecar-0",
            at,
            250,
            0,
            busy ? 100 : 0,
            0,
            0,
            0,
            100,
            busy ? 1.0 : 0.0,
            0);
  }

  @Test
  void anOverloadedRegionSendsPartOfItsWorkToOneWithRoom() throws Exception {
    StreamExecutionEnvironment env = FLINK.environment();
    // Bounded, and slow enough (4 s) that the matrix operator's processing-time ticks (every
    // 100 ms) see the windows close: pending timers do not fire once the input has ended.
    DataGeneratorSource<LoadReport> reports =
        new DataGeneratorSource<>(
            GtcWorkflowITCase::report,
            REPORTS,
            RateLimiterStrategy.perSecond(40),
            TypeInformation.of(LoadReport.class));
    CollectingSink<GtcDecision> decisions = new CollectingSink<>();

    GtcWorkflow.define(
        env,
        new GtcWorkflow.Sources(reports),
        new GtcWorkflow.Sinks(decisions),
        new GtcWorkflow.Settings(
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofSeconds(5),
            new TrafficMatrixCalculator.Settings(0.8, 0.05, 1.0, 6_000),
            100,
            0));
    env.execute("gtc-workflow");

    List<GtcDecision> out = decisions.values();
    assertThat(out).extracting(GtcDecision::sourceRegion).contains("a", "b");
    assertThat(out)
        .filteredOn(d -> d.sourceRegion().equals("a"))
        .anySatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo("overflow");
              assertThat(d.shares()).containsKeys("a", "b");
              assertThat(d.shares().get("b")).isPositive();
            });
    // One decision per source region per matrix version.
    assertThat(out).extracting(d -> d.version() + "/" + d.sourceRegion()).doesNotHaveDuplicates();
  }
}
