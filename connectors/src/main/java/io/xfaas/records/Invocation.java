package io.xfaas.records;

import java.util.Map;

/**
 * One asynchronous function call, as submitted to DurableQ and released to RunQ. docs/contract.md
 * documents every field of its JSON form. Timestamps are epoch milliseconds, UTC.
 *
 * @param id idempotency key, unique per logical call
 * @param tenant who pays and whose quota applies
 * @param function the function to run
 * @param criticality dispatch class; NORMAL when absent
 * @param priority higher runs first within a criticality class and deadline; 0 when absent
 * @param submittedAt when the caller submitted it
 * @param notBefore do not dispatch before this time; null for "now"
 * @param deadline dispatch must start by this time or the call EXPIRES; null for the tenant default
 * @param attempt 1 for the first execution, incremented by each retry
 * @param maxAttempts executions allowed before the call FAILS
 * @param payload the function's argument as raw JSON text; null when absent
 * @param attributes tracing attributes, passed through untouched
 * @param dispatchedAt when the scheduler released it to RunQ; null before that
 * @param extra fields this version does not know, name to raw JSON, kept so nothing is dropped
 */
public record Invocation(
    String id,
    String tenant,
    String function,
    Criticality criticality,
    int priority,
    long submittedAt,
    Long notBefore,
    Long deadline,
    int attempt,
    int maxAttempts,
    String payload,
    Map<String, String> attributes,
    Long dispatchedAt,
    Map<String, String> extra) {

  public Invocation {
    attributes = attributes == null ? Map.of() : attributes;
    extra = extra == null ? Map.of() : extra;
  }

  /** A copy stamped with the time the scheduler released it. */
  public Invocation withDispatchedAt(long at) {
    return copy(notBefore, attempt, at);
  }

  /** The next attempt of this call, to be held until {@code notBefore}. */
  public Invocation retry(long notBefore) {
    return copy(notBefore, attempt + 1, null);
  }

  /** This call with another hold, attempt and release time (the arguments shadow the fields). */
  private Invocation copy(Long notBefore, int attempt, Long dispatchedAt) {
    return new Invocation(
        this.id,
        this.tenant,
        this.function,
        this.criticality,
        this.priority,
        this.submittedAt,
        notBefore,
        this.deadline,
        attempt,
        this.maxAttempts,
        this.payload,
        this.attributes,
        dispatchedAt,
        this.extra);
  }
}
