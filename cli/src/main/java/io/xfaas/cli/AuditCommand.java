package io.xfaas.cli;

import io.xfaas.audit.AuditFilter;
import io.xfaas.audit.AuditReport;
import io.xfaas.audit.Auditor;
import io.xfaas.config.XfaasConfig;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code xfaas audit}: what became of a run's submissions, read from the region's topics. Its exit
 * code makes it a check: non-zero when a call was lost or answered twice.
 */
@Command(
    name = "audit",
    description = {
      "Reads the region's DurableQ (the submissions), outcomes, results and DLQ, read committed,"
          + " and reports accepted, terminal by status, lost (no terminal outcome), duplicate"
          + " terminal outcomes, duplicate executions and bad input.",
      "Audit a run once it has drained: calls still under way count as lost.",
      "Exit code: 0 when nothing is lost and nothing answered twice, "
          + AuditCommand.FINDINGS
          + " otherwise, "
          + AuditCommand.UNREADABLE
          + " when Kafka could not be read."
    })
final class AuditCommand extends ConfiguredCommand {
  /** Exit code: a call lost or answered twice. */
  static final int FINDINGS = 1;

  /** Exit code: the topics could not be read. */
  static final int UNREADABLE = 3;

  @Option(
      names = {"--id-prefix", "--run"},
      paramLabel = "PREFIX",
      description = "Only invocations whose id starts with PREFIX (a run tag).")
  String idPrefix;

  @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's invocations.")
  String tenant;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "Only invocations submitted at or after TIME: an ISO instant (2026-01-31T12:00:00Z),"
              + " epoch ms, or a duration ago (10m, 2h).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "Only invocations submitted before TIME (same forms as --from).")
  String to;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = "Longest wait to read each topic to its end (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() {
    long now = System.currentTimeMillis();
    XfaasConfig resolved = CommandRuns.arguments(spec, configOptions::resolve);
    AuditFilter filter =
        CommandRuns.arguments(
            spec, () -> new AuditFilter(time(from, now), time(to, now), idPrefix, tenant));
    Duration readTimeout =
        CommandRuns.arguments(
            spec, () -> Duration.ofMillis(Durations.parseOrNone(timeout).orElse(60_000)));
    return CommandRuns.reportingFailure(
        spec,
        UNREADABLE,
        (out, err) -> {
          AuditReport report = new Auditor(resolved, readTimeout).audit(filter);
          out.print(
              json
                  ? new String(Json.write(report), StandardCharsets.UTF_8) + "\n"
                  : report.table());
          return report.ok() ? 0 : FINDINGS;
        });
  }

  /** An ISO instant, epoch ms, or a duration before {@code now}; null for null. */
  static Long time(String text, long now) {
    if (text == null || text.isBlank()) return null;
    String t = text.trim();
    if (t.chars().allMatch(Character::isDigit)) return Long.parseLong(t);
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException notAnInstant) {
      try {
        return now - Durations.parseOrNone(t).orElseThrow();
      } catch (RuntimeException notADuration) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a time: an ISO instant, epoch ms or a duration ago (10m)");
      }
    }
  }
}
