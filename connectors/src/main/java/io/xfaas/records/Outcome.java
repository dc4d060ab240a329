package io.xfaas.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.xfaas.serde.RawJsonDeserializer;

/**
 * The one terminal outcome of an invocation, written to the outcomes topic keyed by id.
 *
 * @param criticality the invocation's class, for SQL by criticality; null when unknown (a record
 *     too broken to read it)
 * @param status the terminal state
 * @param reason why, for anything but SUCCEEDED; null on success
 * @param detail a human-readable explanation of the reason; null on success
 * @param attempts the attempt that produced this outcome (0 when it never ran)
 * @param result the function's result as raw JSON text; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
    String id,
    String tenant,
    String function,
    Criticality criticality,
    OutcomeStatus status,
    ReasonCode reason,
    String detail,
    int attempts,
    long submittedAt,
    Long dispatchedAt,
    Long startedAt,
    long finishedAt,
    String region,
    @JsonRawValue @JsonDeserialize(using = RawJsonDeserializer.class) String result) {

  public static Outcome succeeded(
      Invocation inv, long startedAt, long finishedAt, String region, String result) {
    return ran(inv, OutcomeStatus.SUCCEEDED, null, null, startedAt, finishedAt, region, result);
  }

  public static Outcome failed(
      Invocation inv,
      ReasonCode reason,
      String detail,
      long startedAt,
      long finishedAt,
      String region) {
    return ran(inv, OutcomeStatus.FAILED, reason, detail, startedAt, finishedAt, region, null);
  }

  /** An outcome decided by the scheduler before the call ever ran (EXPIRED, REJECTED...). */
  public static Outcome beforeRun(
      Invocation inv,
      OutcomeStatus status,
      ReasonCode reason,
      String detail,
      long at,
      String region) {
    return of(inv, status, reason, detail, 0, null, null, at, region, null);
  }

  private static Outcome ran(
      Invocation inv,
      OutcomeStatus status,
      ReasonCode reason,
      String detail,
      long startedAt,
      long finishedAt,
      String region,
      String result) {
    return of(
        inv,
        status,
        reason,
        detail,
        inv.attempt(),
        inv.dispatchedAt(),
        startedAt,
        finishedAt,
        region,
        result);
  }

  /** The one place that copies an invocation's identity into its outcome. */
  private static Outcome of(
      Invocation inv,
      OutcomeStatus status,
      ReasonCode reason,
      String detail,
      int attempts,
      Long dispatchedAt,
      Long startedAt,
      long finishedAt,
      String region,
      String result) {
    return new Outcome(
        inv.id(),
        inv.tenant(),
        inv.function(),
        inv.criticality(),
        status,
        reason,
        detail,
        attempts,
        inv.submittedAt(),
        dispatchedAt,
        startedAt,
        finishedAt,
        region,
        result);
  }
}
