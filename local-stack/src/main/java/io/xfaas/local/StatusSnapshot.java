package io.xfaas.local;

/**
 * The local stack's totals at one moment, as counted from its topics.
 *
 * @param atMillis when the snapshot was taken
 * @param submitted DurableQ records (first submissions and retries)
 * @param buffered held by the scheduler: submitted, not yet dispatched nor decided
 * @param dispatched RunQ records
 * @param succeeded SUCCEEDED outcomes
 * @param failed FAILED outcomes
 * @param expired EXPIRED outcomes
 * @param rejected REJECTED outcomes
 * @param cancelled CANCELLED outcomes
 * @param deadLetters DLQ records
 * @param unreadable outcome or DLQ records that did not parse
 */
public record StatusSnapshot(
    long atMillis,
    long submitted,
    long buffered,
    long dispatched,
    long succeeded,
    long failed,
    long expired,
    long rejected,
    long cancelled,
    long deadLetters,
    long unreadable) {

  /** All zero, at {@code atMillis}: the baseline before anything was read. */
  public static StatusSnapshot empty(long atMillis) {
    return new StatusSnapshot(atMillis, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
