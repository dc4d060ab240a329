package io.xfaas.scheduler.buffer;

import io.xfaas.records.Criticality;
import io.xfaas.records.LoadReport;

/**
 * One scheduler subtask's load, for its load reports: arrivals and dispatches since the last
 * report, and the calls waiting by criticality. The waiting counts are checkpointed with the
 * operator ({@link #waitingCounts}, {@link #restoreWaiting}), so that a restored job reports the
 * backlog it restored; where none was restored (a rescale) they start from zero, clamped, never
 * negative.
 */
public final class SubtaskLoad {
  private final long[] waiting = new long[Criticality.values().length];
  private long arrivals;
  private long dispatches;
  private long otherDispatches;
  private double otherRate;
  private long since;

  public SubtaskLoad(long now) {
    since = now;
  }

  public void arrived() {
    arrivals++;
  }

  public void dispatched(Criticality c) {
    dispatches++;
    if (c != Criticality.DEFERRABLE) otherDispatches++;
  }

  /**
   * CRITICAL and NORMAL calls dispatched per second, smoothed over the reports' periods: the part
   * of the capacity that held DEFERRABLE work cannot count on.
   */
  public double nonDeferrableRate() {
    return otherRate;
  }

  /** Calls of {@code c} waiting in this subtask's FuncBuffers. */
  public long waiting(Criticality c) {
    return waiting[c.ordinal()];
  }

  public void waiting(Criticality c, int delta) {
    waiting[c.ordinal()] = Math.max(0, waiting[c.ordinal()] + delta);
  }

  /** The waiting counts, indexed by criticality's ordinal: a copy, for a checkpoint. */
  public long[] waitingCounts() {
    return waiting.clone();
  }

  /** Takes back checkpointed waiting counts (as many as both know of). */
  public void restoreWaiting(long[] counts) {
    for (int i = 0; i < Math.min(counts.length, waiting.length); i++) {
      waiting[i] = Math.max(0, counts[i]);
    }
  }

  /**
   * The report for the period since the last one, with the controller's {@code level} (calls/s; NaN
   * when it has none); starts the next period.
   */
  public LoadReport report(String region, String reporter, long now, double level) {
    long periodMs = Math.max(1, now - since);
    LoadReport r =
        new LoadReport(
            region,
            LoadReport.SCHEDULER,
            reporter,
            now,
            periodMs,
            arrivals * 1000.0 / periodMs,
            dispatches * 1000.0 / periodMs,
            waiting[Criticality.CRITICAL.ordinal()],
            waiting[Criticality.NORMAL.ordinal()],
            waiting[Criticality.DEFERRABLE.ordinal()],
            0,
            0,
            Double.isNaN(level) ? 0 : level);
    otherRate = 0.5 * otherRate + 0.5 * (otherDispatches * 1000.0 / periodMs);
    arrivals = 0;
    dispatches = 0;
    otherDispatches = 0;
    since = now;
    return r;
  }
}
