package io.xfaas.security;

/** Whether the scheduler checks that each DurableQ record was signed by its tenant's key. */
public enum SigningPolicy {
  /** Records are taken as they come; signature headers are not read. */
  OFF,
  /**
   * Every invocation and cancel must carry a valid signature of its tenant; the others are REJECTED
   * with reason UNAUTHENTICATED and dead-lettered.
   */
  REQUIRED
}
