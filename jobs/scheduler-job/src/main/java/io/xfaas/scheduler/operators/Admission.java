package io.xfaas.scheduler.operators;

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

  public Admission(InvocationSerde serde, String region) {
    this.serde = serde;
    this.region = region;
  }

  public Decision admit(RawRecord record, long now) {
    ParseResult parsed = serde.parse(record.value(), now);
    if (parsed instanceof ParseResult.Rejected r) {
      DeadLetter letter = deadLetter(record, r, now);
      Outcome outcome =
          r.id() == null
              ? null // too broken to name: nobody can be waiting on it, so the DLQ alone tells
              : new Outcome(
                  r.id(),
                  r.tenant(),
                  r.function(),
                  null,
                  OutcomeStatus.REJECTED,
                  r.reason(),
                  r.detail(),
                  0,
                  record.timestamp(),
                  null,
                  null,
                  now,
                  region,
                  null);
      return new Decision.Rejected(letter, outcome);
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

  private DeadLetter deadLetter(RawRecord record, ParseResult.Rejected r, long now) {
    return DeadLetter.of(
        r.reason(),
        r.detail(),
        r.id(),
        r.tenant(),
        r.function(),
        record.value(),
        record.topic(),
        record.partition(),
        record.offset(),
        now,
        region);
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
