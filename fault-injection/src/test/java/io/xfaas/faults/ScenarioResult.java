package io.xfaas.faults;

import io.xfaas.audit.AuditReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One scenario's line in the fault table.
 *
 * @param duplicateExecutions runs of a call's attempt after its first (see {@link
 *     AuditReport#duplicateExecutions})
 * @param bound the most duplicate executions the fault may cause
 * @param recoveryMs from the fault to the first visible outcome of a call submitted after it; null
 *     where there is no single fault moment
 * @param restarts what the job went through, named
 */
record ScenarioResult(
    String scenario,
    long accepted,
    long terminal,
    long lost,
    long duplicateOutcomes,
    long duplicateExecutions,
    ExecutionBound bound,
    Long recoveryMs,
    String restarts) {

  static ScenarioResult of(
      String scenario, AuditReport r, ExecutionBound bound, Long recoveryMs, String restarts) {
    return new ScenarioResult(
        scenario,
        r.accepted(),
        r.terminal(),
        r.lost(),
        r.duplicateOutcomes(),
        r.duplicateExecutions(),
        bound,
        recoveryMs,
        restarts);
  }

  /**
   * Prints {@code title} and the table of {@code results}, and writes them to target/{@code file}.
   */
  static void report(String title, List<ScenarioResult> results, String file) throws IOException {
    StringBuilder table = new StringBuilder(title).append('\n');
    table.append(header()).append('\n');
    results.forEach(r -> table.append(r.line()).append('\n'));
    System.out.println(table);
    Path out = Path.of("target", file);
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
  }

  static String header() {
    return String.format(
        "%-22s %9s %9s %5s %10s %9s %16s %10s  %s",
        "scenario",
        "accepted",
        "terminal",
        "lost",
        "duplicates",
        "dup-exec",
        "bound (re+unc)",
        "recovery",
        "restarts");
  }

  String line() {
    return String.format(
        "%-22s %9d %9d %5d %10d %9d %16s %10s  %s",
        scenario,
        accepted,
        terminal,
        lost,
        duplicateOutcomes,
        duplicateExecutions,
        bound,
        recoveryMs == null ? "-" : String.format("%.1f s", recoveryMs / 1000.0),
        restarts);
  }
}
