package io.xfaas.records;

/**
 * One reporter's load, written about every second to the global load topic ({@code xfaas.load}, key
 * = region) for the GTC job. A region's schedulers report arrivals and backlog; its sidecars report
 * capacity and utilization. Every report is also a heartbeat: a region with no report for the
 * configured time is considered dead. Timestamps are epoch milliseconds, UTC.
 *
 * @param region the reporter's region
 * @param kind {@code scheduler} or {@code sidecar}
 * @param reporter which scheduler subtask or sidecar (e.g. {@code scheduler-0}, a client id)
 * @param reportedAt when the report was made; the GTC job's event time
 * @param periodMs the period the rates cover
 * @param arrivalRate invocations arrived per second in the period (scheduler; 0 for sidecars)
 * @param dispatchRate invocations released to RunQ per second (scheduler) or completed per second
 *     (sidecar)
 * @param backlogCritical CRITICAL invocations waiting in the FuncBuffer (scheduler)
 * @param backlogNormal NORMAL invocations waiting (scheduler)
 * @param backlogDeferrable DEFERRABLE invocations waiting (scheduler)
 * @param capacityPerSecond calls per second the reporter can run (sidecar: slots over mean run
 *     time; 0 when unknown)
 * @param utilization busy share of the reporter's capacity, in [0, 1] (sidecar)
 * @param levelRate calls per second the scheduler subtask's time-shifting controller levels
 *     executed load to (the mean rate of its learned cycle); 0 until a cycle is learned, with the
 *     controller off or in threshold mode, and for sidecars. Absent in reports of older versions: 0
 */
public record LoadReport(
    String region,
    String kind,
    String reporter,
    long reportedAt,
    long periodMs,
    double arrivalRate,
    double dispatchRate,
    long backlogCritical,
    long backlogNormal,
    long backlogDeferrable,
    double capacityPerSecond,
    double utilization,
    double levelRate) {
  public static final String SCHEDULER = "scheduler";
  public static final String SIDECAR = "sidecar";

  public long backlog() {
    return backlogCritical + backlogNormal + backlogDeferrable;
  }
}
