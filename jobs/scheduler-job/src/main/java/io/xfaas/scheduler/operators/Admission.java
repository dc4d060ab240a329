package io.xfaas.scheduler.operators;

import static io.xfaas.records.ReasonCode.UNAUTHENTICATED;

import io.xfaas.dlq.DeadLetters;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.security.SignatureVerifier;
import io.xfaas.security.SigningKeySource;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import java.io.Serializable;

/**
 * Decides what becomes of one DurableQ record: admitted to scheduling, expired on arrival, or
 * rejected as bad input or, when signatures are required, as not signed by its tenant. Plain logic,
 * no Flink: {@link ParseInvocations} is its shell.
 */
public final class Admission implements Serializable {
  private final InvocationSerde serde;
  private final String region;
  private final DeadLetters deadLetters;
  private final SigningKeySource signingKeys; // null: signatures are not checked
  private final long maxSignatureAgeMs;
  private transient SignatureVerifier verifier;

  public Admission(InvocationSerde serde, String region) {
    this(serde, region, null, 0);
  }

  /**
   * Admission that requires each record to be signed by its tenant under {@code signingKeys}, and
   * signed at most {@code maxSignatureAgeMs} before it was written to DurableQ (older ones are
   * replays the id dedup no longer remembers).
   */
  public Admission(
      InvocationSerde serde, String region, SigningKeySource signingKeys, long maxSignatureAgeMs) {
    this.serde = serde;
    this.region = region;
    this.deadLetters = new DeadLetters(region);
    this.signingKeys = signingKeys;
    this.maxSignatureAgeMs = maxSignatureAgeMs;
  }

  public Decision admit(RawRecord record, long now) {
    ParseResult parsed = serde.parse(record.value(), now);
    if (parsed instanceof ParseResult.Rejected r) {
      return new Decision.Rejected(
          deadLetters.rejected(record, r, now), r.outcome(record.timestamp(), now, region));
    }
    if (signingKeys != null) {
      Decision refused = authenticate(record, parsed, now);
      if (refused != null) return refused;
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

  /** Null when the record is signed by its tenant; otherwise its rejection as UNAUTHENTICATED. */
  private Decision authenticate(RawRecord record, ParseResult parsed, long now) {
    if (verifier == null) verifier = new SignatureVerifier(signingKeys);
    if (parsed instanceof ParseResult.Cancel c) {
      String why =
          verifier.verifyCancel(record.keyId(), record.signature(), c.tenant(), c.id(), now);
      if (why == null) return null;
      // A cancel names someone's call: refusing it must not answer for that call.
      var rejected = new ParseResult.Rejected(UNAUTHENTICATED, why, c.id(), c.tenant(), null);
      return new Decision.Rejected(deadLetters.rejected(record, rejected, now), null);
    }
    Invocation inv = ((ParseResult.Accepted) parsed).invocation();
    String why = verifier.verifyInvocation(record.keyId(), record.signature(), inv, now);
    if (why == null && inv.submittedAt() < record.timestamp() - maxSignatureAgeMs) {
      why =
          "signed at "
              + inv.submittedAt()
              + ", more than "
              + maxSignatureAgeMs
              + " ms before it was written: a replay";
    }
    if (why == null) return null;
    var rejected =
        new ParseResult.Rejected(UNAUTHENTICATED, why, inv.id(), inv.tenant(), inv.function());
    return new Decision.Rejected(
        deadLetters.rejected(record, rejected, now),
        rejected.outcome(record.timestamp(), now, region));
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
