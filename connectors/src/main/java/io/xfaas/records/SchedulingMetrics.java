package io.xfaas.records;

/**
 * One tenant's scheduling over one period, written to the metrics topic (key = tenant) for Flink
 * SQL. Counts are of invocations during {@code [periodStart, periodEnd)}; {@code buffered} is the
 * FuncBuffer's size at {@code periodEnd}; delays are from arrival in the scheduler to dispatch.
 * {@code throttled}, {@code paced}, {@code deferred} and {@code released} count the decision
 * records of the period (see {@link SchedulingDecision}).
 */
public record SchedulingMetrics(
    String tenant,
    String region,
    long periodStart,
    long periodEnd,
    long arrived,
    long dispatched,
    long throttled,
    long expired,
    long rejected,
    long cancelled,
    long duplicates,
    long buffered,
    long queueDelayP50Ms,
    long queueDelayP99Ms,
    long queueDelayMaxMs,
    long paced,
    long deferred,
    long released) {

  /**
   * This period and another of the same tenant as one record, for running totals: the counts add up
   * and the span covers both; the backlog and the queueing delays are those of whichever ends
   * later, what the tenant is like now.
   */
  public SchedulingMetrics plus(SchedulingMetrics other) {
    SchedulingMetrics now = other.periodEnd >= periodEnd ? other : this;
    return new SchedulingMetrics(
        tenant,
        region,
        Math.min(periodStart, other.periodStart),
        now.periodEnd,
        arrived + other.arrived,
        dispatched + other.dispatched,
        throttled + other.throttled,
        expired + other.expired,
        rejected + other.rejected,
        cancelled + other.cancelled,
        duplicates + other.duplicates,
        now.buffered,
        now.queueDelayP50Ms,
        now.queueDelayP99Ms,
        now.queueDelayMaxMs,
        paced + other.paced,
        deferred + other.deferred,
        released + other.released);
  }
}
