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
    long[] delays,
    long paced,
    long deferred,
    long released) {

  public static PeriodStats start(long periodStart) {
    return new PeriodStats(periodStart, 0, 0, 0, 0, 0, 0, 0, 0, DelayHistogram.empty(), 0, 0, 0);
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
        delays,
        paced,
        deferred,
        released);
  }

  /** Counts decision records: paced, deferred and released calls. */
  public PeriodStats decided(long paced, long deferred, long released) {
    return new PeriodStats(
        periodStart,
        arrived,
        dispatched,
        throttled,
        expired,
        rejected,
        cancelled,
        duplicates,
        maxDelay,
        delays,
        this.paced + paced,
        this.deferred + deferred,
        this.released + released);
  }

  public PeriodStats dispatchedAfter(long delayMs) {
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
        DelayHistogram.record(delays, delayMs),
        paced,
        deferred,
        released);
  }
}
