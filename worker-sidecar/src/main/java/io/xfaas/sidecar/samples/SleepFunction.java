package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.CallContext;

/**
 * {@code sleep}: waits {@code {"ms": N}} milliseconds (0 when absent), then returns {@code
 * {"sleptMs": N}}. Stands in for a function bound by a slow downstream.
 */
public final class SleepFunction extends NamedFunction {
  public SleepFunction() {
    super("sleep");
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) throws InterruptedException {
    long ms = Payloads.nonNegativeLong(payloadJson, "ms", 0);
    // Interruptible on purpose: the sidecar interrupts a call that exceeds its timeout.
    Thread.sleep(ms);
    return "{\"sleptMs\":" + ms + "}";
  }
}
