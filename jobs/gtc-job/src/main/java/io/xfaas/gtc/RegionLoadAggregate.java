package io.xfaas.gtc;

import io.xfaas.records.LoadReport;
import io.xfaas.records.RegionLoad;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * A region's load reports of one window, folded per reporter: a reporter's rates are averaged over
 * its reports, its sizes (backlog, capacity, utilization) are its latest, and the region's figures
 * are the sums over reporters (utilization: the mean over sidecars). Arrivals and backlog come from
 * schedulers, capacity and completions from sidecars.
 */
public final class RegionLoadAggregate
    implements AggregateFunction<LoadReport, RegionLoadAccumulator, RegionLoadAccumulator> {

  @Override
  public RegionLoadAccumulator createAccumulator() {
    return new RegionLoadAccumulator();
  }

  @Override
  public RegionLoadAccumulator add(LoadReport r, RegionLoadAccumulator acc) {
    String who = r.kind() + "/" + r.reporter();
    ReporterTotals t = acc.reporters.computeIfAbsent(who, k -> new ReporterTotals());
    t.kind = r.kind();
    t.reports++;
    t.arrivalSum += r.arrivalRate();
    t.dispatchSum += r.dispatchRate();
    if (r.reportedAt() >= t.lastAt) {
      t.lastAt = r.reportedAt();
      t.backlogCritical = r.backlogCritical();
      t.backlogNormal = r.backlogNormal();
      t.backlogDeferrable = r.backlogDeferrable();
      t.capacity = r.capacityPerSecond();
      t.utilization = r.utilization();
    }
    acc.reports++;
    acc.lastReportAt = Math.max(acc.lastReportAt, r.reportedAt());
    return acc;
  }

  @Override
  public RegionLoadAccumulator getResult(RegionLoadAccumulator acc) {
    return acc;
  }

  @Override
  public RegionLoadAccumulator merge(RegionLoadAccumulator a, RegionLoadAccumulator b) {
    b.reporters.forEach(
        (who, t) -> {
          ReporterTotals mine = a.reporters.get(who);
          if (mine == null) {
            a.reporters.put(who, t);
            return;
          }
          mine.reports += t.reports;
          mine.arrivalSum += t.arrivalSum;
          mine.dispatchSum += t.dispatchSum;
          if (t.lastAt >= mine.lastAt) {
            mine.lastAt = t.lastAt;
            mine.backlogCritical = t.backlogCritical;
            mine.backlogNormal = t.backlogNormal;
            mine.backlogDeferrable = t.backlogDeferrable;
            mine.capacity = t.capacity;
            mine.utilization = t.utilization;
          }
        });
    a.reports += b.reports;
    a.lastReportAt = Math.max(a.lastReportAt, b.lastReportAt);
    return a;
  }

  /** The region's load of the window {@code [start, end)}. */
  static RegionLoad toRegionLoad(String region, long start, long end, RegionLoadAccumulator acc) {
    double arrival = 0;
    double schedulerDispatch = 0;
    double completions = 0;
    long backlog = 0;
    long critical = 0;
    double capacity = 0;
    double utilization = 0;
    int sidecars = 0;
    long schedulerReports = 0;
    long sidecarReports = 0;
    for (ReporterTotals t : acc.reporters.values()) {
      if (t.reports == 0) continue;
      if (LoadReport.SIDECAR.equals(t.kind)) {
        sidecars++;
        sidecarReports += t.reports;
        completions += t.dispatchSum / t.reports;
        capacity += Math.max(0, t.capacity);
        utilization += t.utilization;
      } else {
        schedulerReports += t.reports;
        arrival += t.arrivalSum / t.reports;
        schedulerDispatch += t.dispatchSum / t.reports;
        backlog += t.backlogCritical + t.backlogNormal + t.backlogDeferrable;
        critical += t.backlogCritical;
      }
    }
    return new RegionLoad(
        region,
        start,
        end,
        acc.lastReportAt,
        schedulerReports,
        sidecarReports,
        arrival,
        sidecars > 0 ? completions : schedulerDispatch,
        backlog,
        critical,
        capacity,
        sidecars > 0 ? utilization / sidecars : 0,
        0,
        true);
  }
}
