package io.xfaas.serde;

import io.xfaas.records.Invocation;
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
      implements ParseResult {}
}
