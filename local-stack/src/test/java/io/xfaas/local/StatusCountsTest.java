package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.submit.InvocationBuilder;
import org.junit.jupiter.api.Test;

class StatusCountsTest {
  private static final long SUBMITTED = 1_000;
  private static final long DISPATCHED = 1_010;
  private static final long FINISHED = 1_050;

  private final StatusCounts counts = new StatusCounts();

  @Test
  void startsAtZero() {
    assertThat(counts.snapshot(5)).isEqualTo(StatusSnapshot.empty(5));
  }

  @Test
  void whatIsSubmittedAndNotDispatchedIsBuffered() {
    submit(5);
    dispatch(3);

    StatusSnapshot s = counts.snapshot(0);
    assertThat(s.submitted()).isEqualTo(5);
    assertThat(s.dispatched()).isEqualTo(3);
    assertThat(s.buffered()).isEqualTo(2);
  }

  @Test
  void outcomesOfDispatchedCallsDoNotChangeBuffered() {
    submit(3);
    dispatch(3);
    counts.outcome(Outcome.succeeded(dispatched("a"), DISPATCHED, FINISHED, "local", "{}"));
    counts.outcome(
        Outcome.failed(
            dispatched("b"), ReasonCode.FUNCTION_ERROR, "boom", DISPATCHED, FINISHED, "local"));
    counts.deadLetter(deadLetter("b", ReasonCode.FUNCTION_ERROR));

    StatusSnapshot s = counts.snapshot(0);
    assertThat(s.buffered()).isZero();
    assertThat(s.succeeded()).isEqualTo(1);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.deadLetters()).isEqualTo(1);
  }

  @Test
  void decisionsBeforeDispatchLeaveTheBuffer() {
    submit(4);
    counts.outcome(beforeRun("late", OutcomeStatus.EXPIRED, ReasonCode.DEADLINE_EXCEEDED));
    counts.outcome(beforeRun("gone", OutcomeStatus.CANCELLED, ReasonCode.CANCELLED_BY_REQUEST));

    StatusSnapshot s = counts.snapshot(0);
    assertThat(s.expired()).isEqualTo(1);
    assertThat(s.cancelled()).isEqualTo(1);
    assertThat(s.buffered()).isEqualTo(2);
  }

  @Test
  void aRejectedCallWithAnIdLeavesTheBufferOnceThoughItIsAlsoADeadLetter() {
    submit(2);
    counts.outcome(beforeRun("bad", OutcomeStatus.REJECTED, ReasonCode.UNKNOWN_CRITICALITY));
    counts.deadLetter(deadLetter("bad", ReasonCode.UNKNOWN_CRITICALITY));

    StatusSnapshot s = counts.snapshot(0);
    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.deadLetters()).isEqualTo(1);
    assertThat(s.buffered()).isEqualTo(1);
  }

  @Test
  void aDeadLetterWithoutIdLeavesTheBufferSinceNoOutcomeWillCome() {
    submit(2);
    counts.deadLetter(deadLetter(null, ReasonCode.MALFORMED_JSON));

    assertThat(counts.snapshot(0).buffered()).isEqualTo(1);
  }

  @Test
  void aRetryIsSubmittedAndDispatchedAgain() {
    submit(1);
    dispatch(1);
    submit(1); // the sidecar sends attempt 2 back to DurableQ
    assertThat(counts.snapshot(0).buffered()).isEqualTo(1);

    dispatch(1);
    counts.outcome(Outcome.succeeded(dispatched("r"), DISPATCHED, FINISHED, "local", null));
    assertThat(counts.snapshot(0).buffered()).isZero();
  }

  @Test
  void bufferedIsNeverNegativeWhenDecisionsAreReadBeforeTheirSubmissions() {
    dispatch(2);
    counts.outcome(beforeRun("late", OutcomeStatus.EXPIRED, ReasonCode.DEADLINE_EXCEEDED));

    assertThat(counts.snapshot(0).buffered()).isZero();
  }

  @Test
  void unreadableRecordsAreCountedApart() {
    counts.unreadable();

    StatusSnapshot s = counts.snapshot(0);
    assertThat(s.unreadable()).isEqualTo(1);
    assertThat(s.deadLetters()).isZero();
  }

  private void submit(int n) {
    for (int i = 0; i < n; i++) counts.durableQRecord();
  }

  private void dispatch(int n) {
    for (int i = 0; i < n; i++) counts.runQRecord();
  }

  private static Invocation submitted(String id) {
    return InvocationBuilder.call("acme", "echo").id(id).submittedAt(SUBMITTED).build();
  }

  private static Invocation dispatched(String id) {
    return submitted(id).withDispatchedAt(DISPATCHED);
  }

  private static Outcome beforeRun(String id, OutcomeStatus status, ReasonCode reason) {
    return Outcome.beforeRun(submitted(id), status, reason, "test", FINISHED, "local");
  }

  private static DeadLetter deadLetter(String id, ReasonCode reason) {
    return new DeadLetter(
        reason,
        "test",
        id,
        null,
        null,
        "{}",
        null,
        "xfaas.local.durableq",
        0,
        7,
        FINISHED,
        "local");
  }
}
