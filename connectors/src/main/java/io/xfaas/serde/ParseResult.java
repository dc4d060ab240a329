package io.xfaas.serde;

import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;

/**
 * What became of one DurableQ record: an invocation, a cancel request, or a typed rejection. Never
 * an exception.
 */
public sealed interface ParseResult {

  record Accepted(Invocation invocation) implements ParseResult {}

  /** A request to cancel invocation {@code id} of {@code tenant} if it has not been dispatched. */
  record Cancel(String id, String tenant) implements ParseResult {}

  /**
   * Bad input. {@code id} is set when the record carried a usable id: then its submitter is owed a
   * REJECTED outcome, and tenant and function are filled in where they were readable.
   */
  record Rejected(ReasonCode reason, String detail, String id, String tenant, String function)
      implements ParseResult {

    /**
     * The REJECTED outcome owed to the submitter, or null when the record was too broken to name an
     * id: nobody can be waiting on it, so the dead letter alone tells.
     */
    public Outcome outcome(long submittedAt, long at, String region) {
      if (id == null) return null;
      return new Outcome(
          id,
          tenant,
          function,
          null,
          OutcomeStatus.REJECTED,
          reason,
          detail,
          0,
          submittedAt,
          null,
          null,
          at,
          region,
          null);
    }
  }
}
