package io.xfaas.records;

/** The terminal states of an invocation. Exactly one is reported per accepted invocation. */
public enum OutcomeStatus {
  SUCCEEDED,
  FAILED,
  EXPIRED,
  REJECTED,
  CANCELLED
}
