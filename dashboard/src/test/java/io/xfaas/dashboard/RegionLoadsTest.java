package io.xfaas.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.dashboard.RegionLoads.RegionPoint;
import io.xfaas.dashboard.RegionLoads.RegionSummary;
import io.xfaas.records.LoadReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regions second by second from their schedulers' and sidecars' load reports. */
class RegionLoadsTest {
  private static final long T = 1_700_000_000_000L;

  static LoadReport scheduler(
      String region, String reporter, long at, double arrived, double sent, long held, double lvl) {
    return new LoadReport(
        region, LoadReport.SCHEDULER, reporter, at, 1000, arrived, sent, 0, 0, held, 0, 0, lvl);
  }

  static LoadReport sidecar(
      String region, String reporter, long at, double ran, double capacity, double busy) {
    return new LoadReport(
        region, LoadReport.SIDECAR, reporter, at, 1000, 0, ran, 0, 0, 0, capacity, busy, 0);
  }

  @Test
  void aSecondSumsEachReportersLatestReportOfEveryKind() {
    RegionLoads loads = new RegionLoads();
    loads.add(scheduler("a", "scheduler-0", T + 100, 30, 20, 7, 25));
    loads.add(scheduler("a", "scheduler-1", T + 200, 10, 5, 3, 15));
    loads.add(sidecar("a", "sidecar-x", T + 300, 12, 40, 0.5));
    loads.add(sidecar("a", "sidecar-y", T + 400, 8, 60, 1.0));

    RegionSummary a = loads.summaries().get(0);
    assertThat(a.region()).isEqualTo("a");
    assertThat(a.latest()).isEqualTo(new RegionPoint(T, 40, 25, 20, 40, 10, 100, 0.75));
  }

  @Test
  void everyRegionHasItsOwnSeriesAPointPerSecondAndANewReportReplacesTheReportersOld() {
    RegionLoads loads = new RegionLoads();
    loads.add(scheduler("b", "scheduler-0", T + 100, 5, 5, 0, 0));
    loads.add(scheduler("a", "scheduler-0", T + 100, 30, 20, 7, 25));
    loads.add(scheduler("a", "scheduler-0", T + 1100, 50, 20, 9, 25));

    List<RegionSummary> all = loads.summaries();
    assertThat(all).extracting(RegionSummary::region).containsExactly("a", "b");
    assertThat(all.get(0).history())
        .extracting(RegionPoint::t, RegionPoint::received, RegionPoint::held)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(T, 30.0, 7L),
            org.assertj.core.groups.Tuple.tuple(T + 1000, 50.0, 9L));
  }

  @Test
  void aReporterThatStoppedReportingDropsOutOfLaterSeconds() {
    RegionLoads loads = new RegionLoads();
    loads.add(sidecar("a", "sidecar-x", T + 100, 12, 40, 0.5));
    loads.add(sidecar("a", "sidecar-y", T + 100, 8, 60, 1.0));
    // sidecar-y is silent from here on; sidecar-x reports 5 s later.
    loads.add(sidecar("a", "sidecar-x", T + 5100, 10, 40, 0.25));

    RegionPoint latest = loads.summaries().get(0).latest();
    assertThat(latest.t()).isEqualTo(T + 5000);
    assertThat(latest.capacity()).isEqualTo(40.0);
    assertThat(latest.utilization()).isEqualTo(0.25);
  }

  @Test
  void theChartsKeepTheLastSecondsOnly() {
    RegionLoads loads = new RegionLoads();
    for (int i = 0; i < RegionLoads.HISTORY + 30; i++) {
      loads.add(scheduler("a", "scheduler-0", T + i * 1000L, i, 0, 0, 0));
    }
    List<RegionPoint> history = loads.summaries().get(0).history();
    assertThat(history).hasSize(RegionLoads.HISTORY);
    assertThat(history.get(0).t()).isEqualTo(T + 30_000);
    assertThat(loads.summaries().get(0).latest().received()).isEqualTo(RegionLoads.HISTORY + 29.0);
  }
}
