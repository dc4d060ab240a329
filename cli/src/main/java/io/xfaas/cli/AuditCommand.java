package io.xfaas.cli;

import io.xfaas.audit.AuditFilter;
import io.xfaas.audit.AuditReport;
import io.xfaas.audit.Auditor;
import io.xfaas.config.XfaasConfig;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin RegionHistoryOptions region;

  @Option(
      names = {"--id-prefix", "--run"},
      paramLabel = "PREFIX",
      description = "Only invocations whose id starts with PREFIX (a run tag).")
  String idPrefix;

  @Option(names = "--tenant", paramLabel = "T", description = "Only this tenant's invocations.")
  String tenant;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    long now = System.currentTimeMillis();
    XfaasConfig resolved = CommandRuns.arguments(spec, configOptions::resolve);
    AuditFilter filter =
        CommandRuns.arguments(
            spec, () -> new AuditFilter(region.fromMs(now), region.toMs(now), idPrefix, tenant));
    Duration readTimeout = region.readTimeout(spec.commandLine());
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
}
