package io.xfaas.scheduler.buffer;

/**
 * What the FuncBuffer counts: each is a Flink counter of the operator (named {@link #metric}) and a
 * count in the tenant's metrics period. THROTTLED to RELEASED count decision records.
 */
public enum Tally {
  ARRIVED("invocationsArrived"),
  DISPATCHED("invocationsDispatched"),
  EXPIRED("invocationsExpired"),
  REJECTED("invocationsRejectedByQuota"),
  CANCELLED("invocationsCancelled"),
  DUPLICATE("duplicateSubmissions"),
  THROTTLED("invocationsThrottled"),
  PACED("invocationsPaced"),
  DEFERRED("invocationsDeferred"),
  RELEASED("invocationsReleased"),
  // Appended, not inserted: metrics periods in checkpoints store the counts by position.
  DUPLICATE_RESULT("duplicateResults");

  public final String metric;

  Tally(String metric) {
    this.metric = metric;
  }
}
