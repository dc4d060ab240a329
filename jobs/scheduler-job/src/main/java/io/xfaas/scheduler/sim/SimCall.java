package io.xfaas.scheduler.sim;

import io.xfaas.records.Criticality;

/**
 * One recorded call, as the what-if simulation replays it. Times are ms after the window starts.
 *
 * @param id its id, unique in the window
 * @param atMs when it reached the scheduler (for a DurableQ record, its timestamp)
 * @param submittedMs when the caller submitted it; at or before {@code atMs}
 * @param tenant who called
 * @param function what
 * @param criticality its class
 * @param priority its priority within its class
 * @param notBeforeMs not to be dispatched before this time; null for "now"
 * @param deadlineAfterMs its deadline after submission, in ms; 0 for none (the tenant's default
 *     deadline then applies, as in the job)
 * @param runMs how long it ran on a sidecar, in ms; {@link #NEVER} for a call that never returned
 *     in the window (it holds its slot and its tenant's concurrency to the end)
 */
public record SimCall(
    String id,
    long atMs,
    long submittedMs,
    String tenant,
    String function,
    Criticality criticality,
    int priority,
    Long notBeforeMs,
    long deadlineAfterMs,
    long runMs) {
  /** The run time of a call that did not return in the window. */
  public static final long NEVER = Long.MAX_VALUE;

  public SimCall {
    if (atMs < 0 || submittedMs < 0 || runMs < 0 || deadlineAfterMs < 0) {
      throw new IllegalArgumentException("negative time in call " + id);
    }
  }

  /** A call submitted when it arrived, without priority or notBefore. */
  public SimCall(
      String id,
      long atMs,
      String tenant,
      String function,
      Criticality criticality,
      long deadlineAfterMs,
      long runMs) {
    this(id, atMs, atMs, tenant, function, criticality, 0, null, deadlineAfterMs, runMs);
  }

  /** This call with another run time. */
  public SimCall withRunMs(long ms) {
    return new SimCall(
        id,
        atMs,
        submittedMs,
        tenant,
        function,
        criticality,
        priority,
        notBeforeMs,
        deadlineAfterMs,
        ms);
  }
}
