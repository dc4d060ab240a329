package io.xfaas.submit;

import io.xfaas.records.ReasonCode;

/** Thrown by the submitter for an invocation that DurableQ would reject; nothing was sent. */
public final class InvalidInvocationException extends IllegalArgumentException {
  private final ReasonCode reason;

  public InvalidInvocationException(ReasonCode reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }
}
