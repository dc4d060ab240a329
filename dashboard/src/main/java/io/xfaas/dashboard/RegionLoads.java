package io.xfaas.dashboard;

import io.xfaas.records.LoadReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every region's load, second by second, from the load reports its schedulers and sidecars write
 * about every second ({@link LoadReport}): what arrived, what the schedulers released to RunQ, what
 * the sidecars ran, the time-shifting controller's level, the DEFERRABLE calls held, and the
 * sidecars' capacity. A second's point sums each reporter's latest report as of that second, so the
 * charts move every second from the first report, whatever the metrics period. Not thread-safe:
 * {@link DashboardModel} guards it.
 */
public final class RegionLoads {
  /** Seconds kept per region for the charts. */
  static final int HISTORY = 120;

  /** A reporter's report counts in a second until it is this old: it has stopped reporting. */
  static final long STALE_MS = 3_000;

  private final Map<String, Region> regions = new TreeMap<>();

  void add(LoadReport r) {
    if (r.region() == null || r.reporter() == null) return;
    regions.computeIfAbsent(r.region(), k -> new Region()).add(r);
  }

  List<RegionSummary> summaries() {
    List<RegionSummary> out = new ArrayList<>();
    regions.forEach(
        (name, region) -> {
          out.add(new RegionSummary(name, new ArrayList<>(region.history.values())));
        });
    return out;
  }

  private static final class Region {
    private final Map<String, LoadReport> latest = new HashMap<>();
    private final TreeMap<Long, RegionPoint> history = new TreeMap<>();

    void add(LoadReport r) {
      LoadReport before = latest.get(r.reporter());
      if (before == null || before.reportedAt() <= r.reportedAt()) latest.put(r.reporter(), r);
      long second = Math.floorDiv(r.reportedAt(), 1000) * 1000;
      // A late report only updates the second it belongs to if that second is still charted.
      if (!history.isEmpty() && second < history.firstKey() && history.size() >= HISTORY) return;
      history.put(second, point(second));
      while (history.size() > HISTORY) history.pollFirstEntry();
    }

    /** Each reporter's latest report made by the end of {@code second}, summed. */
    private RegionPoint point(long second) {
      long end = second + 1000;
      double received = 0, dispatched = 0, executed = 0, level = 0, capacity = 0, busy = 0;
      long held = 0;
      int sidecars = 0;
      for (LoadReport r : latest.values()) {
        if (r.reportedAt() >= end || r.reportedAt() < end - STALE_MS) continue;
        if (LoadReport.SIDECAR.equals(r.kind())) {
          executed += r.dispatchRate();
          capacity += r.capacityPerSecond();
          busy += r.utilization();
          sidecars++;
        } else {
          received += r.arrivalRate();
          dispatched += r.dispatchRate();
          level += r.levelRate();
          held += r.backlogDeferrable();
        }
      }
      return new RegionPoint(
          second,
          received,
          dispatched,
          executed,
          level,
          held,
          capacity,
          sidecars == 0 ? 0 : busy / sidecars);
    }
  }

  /**
   * One second of a region: calls per second received (arrived at its schedulers), dispatched
   * (released to RunQ) and executed (completed by its sidecars); the time-shifting controller's
   * {@code level} (calls/s, 0 when it has none); DEFERRABLE calls {@code held}; the sidecars'
   * {@code capacity} (calls/s) and mean {@code utilization}.
   */
  public record RegionPoint(
      long t,
      double received,
      double dispatched,
      double executed,
      double level,
      long held,
      double capacity,
      double utilization) {}

  /** A region's charted seconds, oldest first: never empty. */
  public record RegionSummary(String region, List<RegionPoint> history) {
    /** The region's latest second. */
    public RegionPoint latest() {
      return history.get(history.size() - 1);
    }
  }
}
