package io.xfaas.records;

/**
 * One region's load over one GTC window: the aggregate of its schedulers' and sidecars' load
 * reports, and the input of the traffic matrix. Rates are per second; timestamps epoch ms, UTC.
 *
 * @param region the region
 * @param windowStart start of the event-time window the reports fell in
 * @param windowEnd end of that window (exclusive)
 * @param lastReportAt the newest {@code reportedAt} seen from the region: its heartbeat
 * @param schedulerReports scheduler load reports in the window; 0 means the scheduler figures
 *     (arrivals, backlog) are carried over from an earlier window, not measured as zero
 * @param sidecarReports sidecar load reports in the window; 0 means the sidecar figures (capacity,
 *     completions, utilization) are carried over
 * @param arrivalRate invocations arriving per second at the region's schedulers (sum over
 *     reporters, mean over the window)
 * @param dispatchRate invocations completed per second by its sidecars
 * @param backlog invocations waiting in its FuncBuffers at the end of the window (latest report of
 *     each scheduler)
 * @param backlogCritical the CRITICAL part of {@code backlog}
 * @param capacityPerSecond calls per second its sidecars can run (sum of each sidecar's latest
 *     report); 0 when unknown
 * @param utilization busy share of its sidecars' capacity (mean of each sidecar's latest report)
 * @param demand the region's own demand per second as the GTC estimated it (its submitters' rate,
 *     before routing); filled in by the matrix computation, 0 in window aggregates
 * @param alive false once the region missed heartbeats for the configured time
 */
public record RegionLoad(
    String region,
    long windowStart,
    long windowEnd,
    long lastReportAt,
    long schedulerReports,
    long sidecarReports,
    double arrivalRate,
    double dispatchRate,
    long backlog,
    long backlogCritical,
    double capacityPerSecond,
    double utilization,
    double demand,
    boolean alive) {

  /**
   * This window's figures, with what it did not measure (no scheduler or no sidecar report in it)
   * taken from {@code older}, and the GTC's demand estimate and liveness kept from it.
   */
  public RegionLoad after(RegionLoad older) {
    boolean sched = schedulerReports > 0;
    boolean side = sidecarReports > 0;
    return new RegionLoad(
        region,
        windowStart,
        windowEnd,
        Math.max(lastReportAt, older.lastReportAt),
        schedulerReports,
        sidecarReports,
        sched ? arrivalRate : older.arrivalRate,
        side ? dispatchRate : older.dispatchRate,
        sched ? backlog : older.backlog,
        sched ? backlogCritical : older.backlogCritical,
        side ? capacityPerSecond : older.capacityPerSecond,
        side ? utilization : older.utilization,
        older.demand,
        older.alive);
  }

  /** The same load with the GTC's estimate of demand and liveness. */
  public RegionLoad judged(double demand, boolean alive) {
    return new RegionLoad(
        region,
        windowStart,
        windowEnd,
        lastReportAt,
        schedulerReports,
        sidecarReports,
        arrivalRate,
        dispatchRate,
        backlog,
        backlogCritical,
        capacityPerSecond,
        utilization,
        demand,
        alive);
  }
}
