package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.CallContext;

/**
 * {@code fail}: throws on every attempt up to {@code {"failures": N}} (1 when absent), then
 * succeeds with {@code {"attempt": A}}. Exercises retries and dead letters deterministically: with
 * N &gt;= maxAttempts the call ends FAILED.
 */
public final class FailFunction extends NamedFunction {
  public FailFunction() {
    super("fail");
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) {
    long failures = Payloads.nonNegativeLong(payloadJson, "failures", 1);
    if (ctx.attempt() <= failures) {
      throw new IllegalStateException(
          "planned failure " + ctx.attempt() + " of " + failures + " for " + ctx.id());
    }
    return "{\"attempt\":" + ctx.attempt() + "}";
  }
}
