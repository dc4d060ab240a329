package io.xfaas.audit;

import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import java.util.List;
import java.util.Map;

/**
 * What became of one run's submissions, as read from a region's topics. The two promises are {@link
 * #lost} = 0 and {@link #duplicateOutcomes} = 0 ({@link #ok()}).
 *
 * @param region the region audited
 * @param filter what the audit covered
 * @param submissions DurableQ records that parse as invocations, retries and repeats included
 * @param accepted distinct ids among them: the invocations owed one terminal outcome each
 * @param retries of the submissions, those with {@code attempt} > 1 (written back by sidecars)
 * @param cancels cancel requests (not submissions)
 * @param invalid DurableQ records rejected by the parser (bad input)
 * @param invalidByReason the same by reason code
 * @param invalidWithId of the invalid records, those carrying a usable id (owed a REJECTED outcome)
 * @param invalidWithoutOutcome invalid records with an id but no outcome for it
 * @param invalidWithoutDeadLetter invalid records with no dead letter pointing at them
 * @param terminal ids in scope (accepted or invalid with an id) with at least one terminal outcome
 * @param terminalByStatus the same by the status of their first outcome
 * @param lost accepted ids without any terminal outcome
 * @param lostSample up to {@link AuditTally#SAMPLE} of them
 * @param duplicateOutcomes ids with more than one terminal outcome
 * @param duplicateSample up to {@link AuditTally#SAMPLE} of them
 * @param results attempt results written by sidecars for ids in scope
 * @param duplicateExecutions runs of an attempt beyond its first: every (id, attempt) that left n
 *     results or retries (a failed run writes the next attempt to DurableQ instead of a result)
 *     counts n - 1. At-least-once execution, absorbed by the scheduler; a run that died before
 *     writing anything leaves no trace and is not counted
 * @param deadLetters dead letters for records or ids in scope
 * @param deadLettersByReason the same by reason code
 * @param unknownOutcomes outcomes that pass the filter's id and tenant but whose id was never
 *     submitted (a sign of a foreign writer, or of an audit over a truncated DurableQ)
 */
public record AuditReport(
    String region,
    String filter,
    long submissions,
    long accepted,
    long retries,
    long cancels,
    long invalid,
    Map<ReasonCode, Long> invalidByReason,
    long invalidWithId,
    long invalidWithoutOutcome,
    long invalidWithoutDeadLetter,
    long terminal,
    Map<OutcomeStatus, Long> terminalByStatus,
    long lost,
    List<String> lostSample,
    long duplicateOutcomes,
    List<String> duplicateSample,
    long results,
    long duplicateExecutions,
    long deadLetters,
    Map<ReasonCode, Long> deadLettersByReason,
    long unknownOutcomes) {

  /** Nothing lost and nothing answered twice. */
  public boolean ok() {
    return lost == 0 && duplicateOutcomes == 0;
  }

  /** A table for people: one line per figure. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append("audit of region ").append(region).append(" (").append(filter).append(")\n");
    row(b, "submissions", submissions);
    row(b, "accepted", accepted);
    row(b, "  retries", retries);
    row(b, "cancels", cancels);
    row(b, "invalid input", invalid, invalidByReason);
    row(b, "  with an id", invalidWithId);
    row(b, "  without outcome", invalidWithoutOutcome);
    row(b, "  without dead letter", invalidWithoutDeadLetter);
    row(b, "terminal", terminal, terminalByStatus);
    row(b, "lost", lost);
    row(b, "duplicate outcomes", duplicateOutcomes);
    row(b, "results", results);
    row(b, "duplicate executions", duplicateExecutions);
    row(b, "dead letters", deadLetters, deadLettersByReason);
    if (unknownOutcomes > 0) row(b, "unknown outcomes", unknownOutcomes);
    if (!lostSample.isEmpty()) b.append("lost, for example: ").append(lostSample).append('\n');
    if (!duplicateSample.isEmpty()) {
      b.append("answered twice, for example: ").append(duplicateSample).append('\n');
    }
    b.append(ok() ? "OK: nothing lost, nothing answered twice" : "FAILED").append('\n');
    return b.toString();
  }

  private static void row(StringBuilder b, String name, long value) {
    b.append(String.format("%-24s %12d%n", name, value));
  }

  /** A figure, then the same broken down, one indented row per kind. */
  private static void row(StringBuilder b, String name, long value, Map<?, Long> byKind) {
    row(b, name, value);
    byKind.forEach((kind, n) -> row(b, "  " + kind, n));
  }
}
