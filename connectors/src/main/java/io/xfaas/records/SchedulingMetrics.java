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
    long released) {}
