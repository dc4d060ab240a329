package io.xfaas.records;

/**
 * Why the scheduler made a {@link SchedulingDecision}, machine-readable like {@link ReasonCode} for
 * outcomes. The JSON form is the name, so queries on the decisions topic match these strings.
 */
public enum DecisionReason {
  // THROTTLED: waits for its tenant's quota or share.
  /** The tenant has its most calls in flight. */
  TENANT_CONCURRENCY,
  /** The tenant's token bucket is empty at its reserved rate. */
  TENANT_RATE,
  /** The tenant's token bucket is empty at its fair share, below its reserved rate. */
  FAIR_SHARE,
  /** Tokens are there, but calls ahead of it in the buffer go first. */
  BEHIND_EARLIER_CALLS,

  // DEFERRED: DEFERRABLE work held.
  /** The region is above its utilization target. */
  UTILIZATION_HIGH,
  /** The region has room, but the spare rate is taken by calls held before it. */
  FILLING_TROUGH,
  /**
   * Executed load would rise above the level (the cycle's mean demand learned from earlier cycles),
   * or the room below it goes to the deepest troughs first.
   */
  ABOVE_LEVEL,

  // PACED: its function's downstream is slow.
  /** The function is paced from the sidecars' feedback. */
  FUNCTION_PACED,

  // RELEASED: dispatched after waiting.
  /** Its function's pace let it go. */
  FUNCTION_PACE,
  /** A held DEFERRABLE call whose latest start came. */
  DEADLINE,
  /** A held DEFERRABLE call let go into spare capacity. */
  SPARE_CAPACITY,
  /** Its tenant's quota let it go. */
  QUOTA
}
