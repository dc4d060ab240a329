package io.xfaas.sidecar;

import io.xfaas.records.Invocation;
import java.util.Map;

/**
 * What a function may know about the call it serves, apart from its payload.
 *
 * @param id the invocation id, the idempotency key of the call
 * @param tenant who is calling
 * @param function the function's name
 * @param attempt 1 for the first execution, incremented by each retry
 * @param maxAttempts executions allowed before the call fails
 * @param attributes tracing attributes of the invocation
 */
public record CallContext(
    String id,
    String tenant,
    String function,
    int attempt,
    int maxAttempts,
    Map<String, String> attributes) {

  public CallContext {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static CallContext of(Invocation inv) {
    return new CallContext(
        inv.id(), inv.tenant(), inv.function(), inv.attempt(), inv.maxAttempts(), inv.attributes());
  }

  /** True on the last attempt: a failure now is final. */
  public boolean lastAttempt() {
    return attempt >= maxAttempts;
  }
}
