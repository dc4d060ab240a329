package io.xfaas.scheduler.sim;

import io.xfaas.records.Criticality;

/**
 * One recorded call, as the what-if simulation replays it.
 *
 * @param id its id, unique in the window
 * @param atMs when it arrived, ms after the window starts
 * @param tenant who called
 * @param function what
 * @param criticality its class
 * @param deadlineAfterMs its deadline after arrival, in ms; 0 for none (the tenant's default
 *     deadline then applies, as in the job)
 * @param runMs how long it ran on a sidecar, in ms
 */
public record SimCall(
    String id,
    long atMs,
    String tenant,
    String function,
    Criticality criticality,
    long deadlineAfterMs,
    long runMs) {
  public SimCall {
    if (atMs < 0 || runMs < 0 || deadlineAfterMs < 0) {
      throw new IllegalArgumentException("negative time in call " + id);
    }
  }
}
