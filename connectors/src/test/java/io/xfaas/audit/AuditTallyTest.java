package io.xfaas.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTallyTest {
  private static final String DQ = "xfaas.r.durableq";
  private static final long T = 1_700_000_000_000L;

  private final InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
  private long offset;

  private AuditTally tally(AuditFilter filter) {
    return new AuditTally(serde, DQ, filter);
  }

  private void submit(AuditTally t, String id, String tenant, int attempt, long at) {
    var b = InvocationBuilder.call(tenant, "echo").id(id).submittedAt(at).maxAttempts(3);
    var inv = b.build();
    if (attempt > 1) {
      for (int i = 1; i < attempt; i++) inv = inv.retry(at + 1000);
    }
    t.submission(InvocationSerde.write(inv), at, 0, offset++);
  }

  private long raw(AuditTally t, String json, long at) {
    long o = offset++;
    t.submission(json.getBytes(StandardCharsets.UTF_8), at, 1, o);
    return o;
  }

  private static byte[] outcome(String id, String tenant, OutcomeStatus status, int attempts) {
    return Json.write(
        new Outcome(
            id,
            tenant,
            "echo",
            Criticality.NORMAL,
            status,
            status == OutcomeStatus.SUCCEEDED ? null : ReasonCode.TIMEOUT,
            null,
            attempts,
            T,
            null,
            null,
            T + 1,
            "r",
            null));
  }

  @Test
  void countsAcceptedTerminalLostAndDuplicates() {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    submit(t, "b", "ten", 1, T);
    submit(t, "c", "ten", 1, T);
    submit(t, "a", "ten", 1, T); // a repeated submission is the same invocation
    t.outcome(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 1));
    t.outcome(outcome("b", "ten", OutcomeStatus.FAILED, 3));
    t.outcome(outcome("b", "ten", OutcomeStatus.SUCCEEDED, 3));

    AuditReport r = t.report("r");
    assertThat(r.submissions()).isEqualTo(4);
    assertThat(r.accepted()).isEqualTo(3);
    assertThat(r.terminal()).isEqualTo(2);
    assertThat(r.terminalByStatus())
        .containsOnly(Map.entry(OutcomeStatus.SUCCEEDED, 1L), Map.entry(OutcomeStatus.FAILED, 1L));
    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.lostSample()).containsExactly("c");
    assertThat(r.duplicateOutcomes()).isEqualTo(1);
    assertThat(r.duplicateSample()).containsExactly("b");
    assertThat(r.ok()).isFalse();
    assertThat(r.table()).contains("lost").contains("FAILED");
  }

  @Test
  void aRunWithOneOutcomePerIdIsOk() {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    submit(t, "a", "ten", 2, T); // the sidecar's retry of the same call
    t.outcome(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 2));
    AuditReport r = t.report("r");
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.retries()).isEqualTo(1);
    assertThat(r.ok()).isTrue();
    assertThat(r.table()).contains("OK");
  }

  @Test
  void cancelsAreNotSubmissions() {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    raw(t, "{\"kind\":\"cancel\",\"id\":\"a\",\"tenant\":\"ten\"}", T);
    t.outcome(outcome("a", "ten", OutcomeStatus.CANCELLED, 0));
    AuditReport r = t.report("r");
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.cancels()).isEqualTo(1);
    assertThat(r.invalid()).isZero();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void badInputIsCountedByReasonAndMatchedToItsOutcomeAndDeadLetter() {
    AuditTally t = tally(AuditFilter.ALL);
    long malformed = raw(t, "{\"id\":\"m1\",\"tenant\":", T);
    long missing = raw(t, "{\"id\":\"x1\",\"function\":\"echo\"}", T);
    long crit =
        raw(t, "{\"id\":\"k1\",\"tenant\":\"t\",\"function\":\"f\",\"criticality\":\"X\"}", T);
    t.outcome(outcome("x1", null, OutcomeStatus.REJECTED, 0));
    t.deadLetter(letter(ReasonCode.MALFORMED_JSON, null, 1, malformed));
    t.deadLetter(letter(ReasonCode.MISSING_FIELD, "x1", 1, missing));
    t.deadLetter(letter(ReasonCode.MALFORMED_JSON, null, 1, 999)); // someone else's

    AuditReport r = t.report("r");
    assertThat(r.accepted()).isZero();
    assertThat(r.invalid()).isEqualTo(3);
    assertThat(r.invalidByReason())
        .containsOnly(
            Map.entry(ReasonCode.MALFORMED_JSON, 1L),
            Map.entry(ReasonCode.MISSING_FIELD, 1L),
            Map.entry(ReasonCode.UNKNOWN_CRITICALITY, 1L));
    assertThat(r.invalidWithId()).isEqualTo(2);
    assertThat(r.invalidWithoutOutcome()).as("k1 has no REJECTED outcome").isEqualTo(1);
    assertThat(r.invalidWithoutDeadLetter()).as("crit at offset " + crit).isEqualTo(1);
    assertThat(r.deadLetters()).isEqualTo(2);
    assertThat(r.terminalByStatus()).containsOnly(Map.entry(OutcomeStatus.REJECTED, 1L));
    assertThat(r.ok()).as("bad input is not lost input").isTrue();
  }

  @Test
  void duplicateExecutionsAreResultsForTheSameIdAndAttempt() {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    submit(t, "b", "ten", 1, T);
    t.result(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 1));
    t.result(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 1)); // re-run after a crash
    t.result(outcome("b", "ten", OutcomeStatus.FAILED, 1));
    t.result(outcome("b", "ten", OutcomeStatus.SUCCEEDED, 2)); // a retry, not a repeat
    t.result(outcome("zz", "ten", OutcomeStatus.SUCCEEDED, 1)); // not submitted: ignored
    AuditReport r = t.report("r");
    assertThat(r.results()).isEqualTo(4);
    assertThat(r.duplicateExecutions()).isEqualTo(1);
  }

  @Test
  void aRunLeavesAResultOrARetryAndEveryRunAfterTheFirstIsADuplicate() {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    // Attempt 1 of a ran twice and failed both times (a paused sidecar timed it out, its
    // replacement too): two retries, attempt 2.
    submit(t, "a", "ten", 2, T + 10);
    submit(t, "a", "ten", 2, T + 20);
    // Attempt 2 ran three times: dispatched again after a scheduler failover, then re-run by a
    // sidecar that crashed before committing.
    t.result(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 2));
    t.result(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 2));
    t.result(outcome("a", "ten", OutcomeStatus.SUCCEEDED, 2));
    submit(t, "b", "ten", 1, T);
    submit(t, "b", "ten", 2, T + 10); // a plain retry: one run of each attempt
    t.result(outcome("b", "ten", OutcomeStatus.SUCCEEDED, 2));
    AuditReport r = t.report("r");
    assertThat(r.retries()).isEqualTo(3);
    assertThat(r.results()).isEqualTo(4);
    assertThat(r.duplicateExecutions()).isEqualTo(1 + 2);
  }

  @Test
  void filtersScopeTheAuditToOneRun() {
    AuditTally t = tally(new AuditFilter(T, T + 100, "run1-", "ten"));
    submit(t, "run1-a", "ten", 1, T);
    submit(t, "run1-b", "ten", 1, T + 50);
    submit(t, "run1-late", "ten", 1, T + 100); // after the range
    submit(t, "run1-other", "other", 1, T); // another tenant
    submit(t, "run2-a", "ten", 1, T); // another run
    raw(t, "{\"id\":\"run1-broken\",\"tenant\":", T); // its tenant is unknown: not placed
    t.outcome(outcome("run1-a", "ten", OutcomeStatus.SUCCEEDED, 1));
    t.outcome(outcome("run1-b", "ten", OutcomeStatus.SUCCEEDED, 1));
    t.outcome(outcome("run2-a", "ten", OutcomeStatus.SUCCEEDED, 1));
    t.outcome(outcome("run2-a", "ten", OutcomeStatus.SUCCEEDED, 1)); // not this run's problem
    t.outcome(outcome("run1-ghost", "ten", OutcomeStatus.SUCCEEDED, 1));

    AuditReport r = t.report("r");
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.invalid()).isZero();
    assertThat(r.duplicateOutcomes()).isZero();
    assertThat(r.unknownOutcomes()).isEqualTo(1);
    assertThat(r.ok()).isTrue();
    assertThat(r.filter()).contains("run1-").contains("ten");
  }

  @Test
  void aBrokenRecordIsPlacedInARunByTheIdInItsRawText() {
    AuditTally t = tally(AuditFilter.idPrefix("run1-"));
    raw(t, "{\"id\":\"run1-broken\",\"tenant\":", T);
    raw(t, "{\"id\":\"run2-broken\",\"tenant\":", T);
    raw(t, "{\"tenant\":", T); // no id at all: cannot be placed in a run
    assertThat(t.report("r").invalid()).isEqualTo(1);
    assertThat(tally(AuditFilter.ALL).report("r").filter()).isEqualTo("everything");
  }

  @Test
  void aTimeRangeMustEndAfterItStarts() {
    assertThatThrownBy(() -> new AuditFilter(T, T, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theReportIsJson() throws Exception {
    AuditTally t = tally(AuditFilter.ALL);
    submit(t, "a", "ten", 1, T);
    AuditReport r = t.report("r");
    var node = Json.MAPPER.readTree(Json.write(r));
    assertThat(node.get("lost").asLong()).isEqualTo(1);
    assertThat(node.get("accepted").asLong()).isEqualTo(1);
    assertThat(Json.MAPPER.readValue(Json.write(r), AuditReport.class)).isEqualTo(r);
  }

  private static byte[] letter(ReasonCode reason, String id, int partition, long offset) {
    return Json.write(
        new DeadLetter(reason, "d", id, null, null, "x", null, DQ, partition, offset, T, "r"));
  }
}
