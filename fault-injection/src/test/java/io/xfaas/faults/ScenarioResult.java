package io.xfaas.faults;

import io.xfaas.audit.AuditReport;

/**
 * One scenario's line in the fault table.
 *
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
    Long recoveryMs,
    String restarts) {

  static ScenarioResult of(String scenario, AuditReport r, Long recoveryMs, String restarts) {
    return new ScenarioResult(
        scenario,
        r.accepted(),
        r.terminal(),
        r.lost(),
        r.duplicateOutcomes(),
        r.duplicateExecutions(),
        recoveryMs,
        restarts);
  }

  static String header() {
    return String.format(
        "%-22s %9s %9s %5s %10s %9s %10s  %s",
        "scenario",
        "accepted",
        "terminal",
        "lost",
        "duplicates",
        "re-runs",
        "recovery",
        "restarts");
  }

  String line() {
    return String.format(
        "%-22s %9d %9d %5d %10d %9d %10s  %s",
        scenario,
        accepted,
        terminal,
        lost,
        duplicateOutcomes,
        duplicateExecutions,
        recoveryMs == null ? "-" : String.format("%.1f s", recoveryMs / 1000.0),
        restarts);
  }
}
