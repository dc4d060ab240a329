package io.xfaas.records;

/**
 * Why an invocation waited: one record each time the scheduler holds, throttles, defers or releases
 * it, written to the decisions topic (key = id) and queryable with Flink SQL. A call dispatched the
 * moment it arrived has no decision record.
 *
 * @param id the invocation
 * @param tenant its tenant
 * @param function its function
 * @param criticality its criticality
 * @param region the deciding scheduler's region
 * @param decision {@code THROTTLED} (waits for its tenant's quota or share), {@code PACED} (waits
 *     because its function's downstream is slow), {@code DEFERRED} (DEFERRABLE work held while the
 *     region is busy) or {@code RELEASED} (dispatched after waiting)
 * @param reason machine-readable cause ({@link DecisionReason}), see docs/scheduler.md,
 *     "Explainable decisions"
 * @param at when the decision was made, epoch ms
 * @param detail the figures behind it, for people
 */
public record SchedulingDecision(
    String id,
    String tenant,
    String function,
    Criticality criticality,
    String region,
    Decision decision,
    DecisionReason reason,
    long at,
    String detail) {

  /** What the scheduler did with the call; the name is the record's JSON value. */
  public enum Decision {
    /** Waits for its tenant's quota or share. */
    THROTTLED,
    /** Waits because its function's downstream is slow. */
    PACED,
    /** DEFERRABLE work held while the region is busy. */
    DEFERRED,
    /** Dispatched after waiting. */
    RELEASED
  }
}
