package io.xfaas.scheduler.operators;

import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.io.Serializable;

/**
 * Decides what becomes of one DurableQ record: admitted to scheduling, expired on arrival, or
 * rejected as bad input. Plain logic, no Flink: {@link ParseInvocations} is its shell.
 */
public final class Admission implements Serializable {
  private final InvocationSerde serde;
  private final String region;
  private final DeadLetters deadLetters;

  public Admission(InvocationSerde serde, String region) {
    this.serde = serde;
    this.region = region;
    this.deadLetters = new DeadLetters(region);
  }

  public Decision admit(RawRecord record, long now) {
    ParseResult parsed = serde.parse(record.value(), now);
    if (parsed instanceof ParseResult.Rejected r) {
      return new Decision.Rejected(
          deadLetters.rejected(record, r, now), r.outcome(record.timestamp(), now, region));
    }
    if (parsed instanceof ParseResult.Cancel c) return new Decision.Cancel(c.tenant(), c.id());
    Invocation inv = ((ParseResult.Accepted) parsed).invocation();
    if (inv.deadline() != null && inv.deadline() <= now) {
      // Late is not bad input: the caller is told it expired, and how late it came.
      return new Decision.Expired(
          Outcome.beforeRun(
              inv,
              OutcomeStatus.EXPIRED,
              ReasonCode.DEADLINE_EXCEEDED,
              "arrived " + (now - inv.deadline()) + " ms after its deadline; waited 0 ms",
              now,
              region));
    }
    return new Decision.Admitted(inv);
  }

  /** The fates of a DurableQ record. */
  public sealed interface Decision {
    record Admitted(Invocation invocation) implements Decision {}

    record Cancel(String tenant, String id) implements Decision {}

    record Expired(Outcome outcome) implements Decision {}

    /** {@code outcome} is null when the record carried no usable id. */
    record Rejected(DeadLetter deadLetter, Outcome outcome) implements Decision {}
  }
}
