package io.xfaas.scheduler.buffer;

/** One tenant's counts for the current metrics period, kept in state until the period ends. */
public record PeriodStats(
    long periodStart,
    long arrived,
    long dispatched,
    long throttled,
    long expired,
    long rejected,
    long cancelled,
    long duplicates,
    long maxDelay,
    long[] delays) {

  public static PeriodStats start(long periodStart) {
    return new PeriodStats(periodStart, 0, 0, 0, 0, 0, 0, 0, 0, DelayHistogram.empty());
  }

  public PeriodStats plus(
      long arrived, long throttled, long expired, long rejected, long cancelled, long duplicates) {
    return new PeriodStats(
        periodStart,
        this.arrived + arrived,
        dispatched,
        this.throttled + throttled,
        this.expired + expired,
        this.rejected + rejected,
        this.cancelled + cancelled,
        this.duplicates + duplicates,
        maxDelay,
        delays);
  }

  public PeriodStats dispatchedAfter(long delayMs) {
    DelayHistogram.record(delays, delayMs);
    return new PeriodStats(
        periodStart,
        arrived,
        dispatched + 1,
        throttled,
        expired,
        rejected,
        cancelled,
        duplicates,
        Math.max(maxDelay, delayMs),
        delays);
  }
}
