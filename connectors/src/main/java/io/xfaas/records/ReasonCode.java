package io.xfaas.records;

/**
 * Machine-readable reasons carried by outcomes and dead letters. Consumers switch on the name;
 * {@code detail} fields carry the human explanation.
 */
public enum ReasonCode {
  // Bad input (dead letter, plus REJECTED outcome when the record carries an id).
  /** Not JSON, or not a JSON object. */
  MALFORMED_JSON,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A field has the wrong type or an out-of-range value. */
  INVALID_FIELD,
  /** {@code criticality} is not one of CRITICAL, NORMAL, DEFERRABLE. */
  UNKNOWN_CRITICALITY,
  /** A timestamp is negative, too far in the future, or inconsistent (deadline before submit). */
  INVALID_TIMESTAMP,
  /** The payload is larger than {@code xfaas.invocation.max-payload-bytes}. */
  PAYLOAD_TOO_LARGE,
  /** The tenant is not configured. */
  UNKNOWN_TENANT,
  /** The function is not allowed for the tenant, or not known to the worker. */
  UNKNOWN_FUNCTION,
  /**
   * Not signed with its tenant's key (unsigned, unknown or retired key id, or a signature that does
   * not match) while {@code xfaas.security.signing} is {@code required}.
   */
  UNAUTHENTICATED,

  // Scheduling outcomes.
  /** The deadline passed before the invocation could be dispatched. */
  DEADLINE_EXCEEDED,
  /** The tenant's FuncBuffer was at its bound when the invocation arrived. */
  BUFFER_FULL,
  /** Cancelled by a cancel message before dispatch. */
  CANCELLED_BY_REQUEST,

  // Execution outcomes.
  /** The function threw or answered an error, and no attempts are left. */
  FUNCTION_ERROR,
  /** The function did not answer within its timeout, and no attempts are left. */
  TIMEOUT
}
