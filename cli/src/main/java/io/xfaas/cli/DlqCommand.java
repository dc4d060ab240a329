package io.xfaas.cli;

import io.xfaas.config.XfaasConfig;
import io.xfaas.dlq.DlqClient;
import io.xfaas.dlq.DlqRecord;
import io.xfaas.dlq.DlqSelection;
import io.xfaas.dlq.RedriveAudit;
import io.xfaas.dlq.RedrivePlan;
import io.xfaas.dlq.RedriveRun;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.ReasonCode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xfaas dlq list|redrive|audit}: dead letters by reason, and their re-submission to DurableQ
 * after a fix, audited and idempotent.
 */
@Command(
    name = "dlq",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Shows dead letters by reason and re-submits a chosen set to DurableQ after a fix.",
      "Every redrive is audited (who, when, how many) on the compacted xfaas.topics.dlq-redrive"
          + " topic, and a dead letter already redriven is never redriven again."
    },
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.Redrive.class, DlqCommand.Audit.class})
final class DlqCommand extends SubcommandsOnly {

  /** A subcommand with a DLQ client. */
  abstract static class DlqSubcommand extends KafkaSubcommand<DlqClient> {
    @Override
    final void check(XfaasConfig config) {
      check();
    }

    /** Validates the arguments before Kafka is contacted; throws IllegalArgumentException. */
    void check() {}

    @Override
    final DlqClient open(XfaasConfig config) {
      return DlqClient.create(config);
    }

    @Override
    final int run(XfaasConfig config, DlqClient client, PrintWriter out, PrintWriter err) {
      return run(client, out, err);
    }

    abstract int run(DlqClient client, PrintWriter out, PrintWriter err);
  }

  /** The filters of list and redrive. */
  static final class Filters {
    @Option(
        names = "--reason",
        paramLabel = "R",
        description = "Only dead letters with this reason code (e.g. UNKNOWN_TENANT).")
    String reason;

    @Option(names = "--tenant", paramLabel = "T", description = "Only dead letters of this tenant.")
    String tenant;

    @Option(
        names = "--id",
        paramLabel = "ID",
        arity = "1..*",
        description = "Only dead letters with one of these invocation ids. Repeatable.")
    List<String> ids = new ArrayList<>();

    DlqSelection selection() {
      if (reason != null) {
        try {
          ReasonCode.valueOf(reason);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "unknown reason '" + reason + "'; one of " + List.of(ReasonCode.values()));
        }
      }
      return new DlqSelection(reason, tenant, ids);
    }
  }

  @Command(
      name = "list",
      description = {
        "Prints the number of dead letters per reason, then the matching dead letters (oldest"
            + " first) with where they came from and their original, truncated.",
        "The counts cover the dead letters that match --tenant and --id, whatever their reason."
      })
  static final class ListLetters extends DlqSubcommand {
    @Mixin Filters filters = new Filters();

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "Most dead letters to print (default: ${DEFAULT-VALUE}).")
    int limit;

    private DlqSelection selection;

    @Override
    void check() {
      if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0");
      selection = filters.selection();
    }

    @Override
    int run(DlqClient client, PrintWriter out, PrintWriter err) {
      List<DlqRecord> all = client.readDlq();
      Set<String> redriven = client.readAudit().redrivenKeys();
      Map<String, Integer> byReason = new TreeMap<>();
      DlqSelection scope = selection.anyReason();
      int inScope = 0;
      for (DlqRecord r : all) {
        if (!scope.matches(r)) continue;
        byReason.merge(r.reasonName(), 1, Integer::sum);
        inScope++;
      }
      out.println(
          inScope
              + " dead letter"
              + (inScope == 1 ? "" : "s")
              + " on "
              + client.dlqTopic()
              + (scope.isEmpty() ? "" : " (" + scope.describe() + ")"));
      List<String[]> counts = new ArrayList<>();
      counts.add(new String[] {"REASON", "COUNT"});
      byReason.forEach((reason, n) -> counts.add(new String[] {reason, Integer.toString(n)}));
      TextTable.aligned(counts).forEach(out::println);

      List<DlqRecord> matching = all.stream().filter(selection::matches).toList();
      out.println();
      out.println(
          matching.size()
              + " matching "
              + selection.describe()
              + (matching.size() > limit ? ", first " + limit + " shown" : ""));
      if (matching.isEmpty() || limit == 0) return 0;
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            "REASON", "ID", "TENANT", "FROM", "FAILED_AT", "REDRIVEN", "DETAIL", "ORIGINAL"
          });
      for (DlqRecord r : matching.subList(0, Math.min(limit, matching.size()))) {
        DeadLetter d = r.letter();
        if (d == null) {
          rows.add(
              new String[] {
                r.reasonName(), "-", "-", r.auditKey(), "-", "-", truncate(r.error(), 60), "-"
              });
          continue;
        }
        rows.add(
            new String[] {
              r.reasonName(),
              orDash(d.id()),
              orDash(d.tenant()),
              d.topic() == null ? "-" : d.topic() + "/" + d.partition() + "/" + d.offset(),
              Instant.ofEpochMilli(d.failedAt()).toString(),
              redriven.contains(r.auditKey()) ? "yes" : "no",
              truncate(d.detail(), 60),
              d.original() != null
                  ? truncate(d.original(), 80)
                  : d.originalBase64() != null ? "base64:" + truncate(d.originalBase64(), 73) : "-"
            });
      }
      TextTable.aligned(rows).forEach(out::println);
      return 0;
    }
  }

  @Command(
      name = "redrive",
      description = {
        "Re-submits the original of every matching dead letter to DurableQ (key = its id), once:"
            + " dead letters an earlier run redrove are skipped.",
        "The originals, one audit record per redriven dead letter and a run summary are written"
            + " in one Kafka transaction. Only dead letters of records that arrived on DurableQ"
            + " and kept their original can be redriven.",
        "The scheduler drops an id it ran in the last xfaas.scheduler.dedup-window, so a"
            + " redriven invocation that did run before does not run again either."
      })
  static final class Redrive extends DlqSubcommand {
    @Mixin Filters filters = new Filters();

    @Option(
        names = "--all",
        description = "Redrive every dead letter (needed when no filter is given).")
    boolean all;

    @Option(names = "--dry-run", description = "Print what would be redriven; write nothing.")
    boolean dryRun;

    @Option(
        names = "--history",
        description = "Print the audited runs instead (same as xfaas dlq audit).")
    boolean history;

    private DlqSelection selection;

    @Override
    void check() {
      selection = filters.selection();
      if (!history && selection.isEmpty() && !all) {
        throw new IllegalArgumentException(
            "give --reason, --tenant or --id to choose dead letters, or --all for every one");
      }
    }

    @Override
    int run(DlqClient client, PrintWriter out, PrintWriter err) {
      if (history) return Audit.print(client, out, err);
      RedrivePlan plan = client.plan(selection);
      if (dryRun) {
        out.println(
            "dry run: would redrive "
                + plan.toRedrive().size()
                + " dead letter"
                + (plan.toRedrive().size() == 1 ? "" : "s")
                + " ("
                + selection.describe()
                + ") to "
                + client.durableqTopic()
                + "; "
                + plan.alreadyRedriven().size()
                + " already redriven, "
                + plan.unredrivable().size()
                + " cannot be redriven");
        for (DlqRecord r : plan.toRedrive()) out.println("  " + describe(r));
        printUnredrivable(plan, client, err);
        return 0;
      }
      String runId = Instant.now().toString() + "-" + UUID.randomUUID().toString().substring(0, 8);
      RedriveRun run =
          client.redrive(
              plan, selection, runId, System.getProperty("user.name"), System.currentTimeMillis());
      out.println(
          "run "
              + run.runId()
              + " by "
              + run.who()
              + ": redrove "
              + run.redriven()
              + " dead letter"
              + (run.redriven() == 1 ? "" : "s")
              + " ("
              + selection.describe()
              + ") to "
              + client.durableqTopic()
              + "; skipped "
              + run.skipped()
              + " already redriven; "
              + run.unredrivable()
              + " cannot be redriven");
      for (DlqRecord r : plan.toRedrive()) out.println("  " + describe(r));
      printUnredrivable(plan, client, err);
      return 0;
    }

    private static void printUnredrivable(RedrivePlan plan, DlqClient client, PrintWriter err) {
      for (DlqRecord r : plan.unredrivable()) {
        err.println(
            "cannot redrive "
                + r.auditKey()
                + ": "
                + RedrivePlan.whyNot(r.letter(), client.durableqTopic()));
      }
    }

    private static String describe(DlqRecord r) {
      return r.auditKey() + " " + r.reasonName() + " id=" + orDash(r.letter().id());
    }
  }

  @Command(
      name = "audit",
      description = "Prints every redrive run, oldest first: who, when, how many, which filters.")
  static final class Audit extends DlqSubcommand {
    @Override
    int run(DlqClient client, PrintWriter out, PrintWriter err) {
      return print(client, out, err);
    }

    static int print(DlqClient client, PrintWriter out, PrintWriter err) {
      RedriveAudit audit = client.readAudit();
      List<RedriveRun> runs = audit.runs();
      if (runs.isEmpty()) {
        err.println("no redrive runs on " + client.auditTopic());
        return 0;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {"RUN", "WHO", "WHEN", "REDRIVEN", "SKIPPED", "UNREDRIVABLE", "FILTERS"});
      for (RedriveRun r : runs) {
        rows.add(
            new String[] {
              r.runId(),
              orDash(r.who()),
              Instant.ofEpochMilli(r.when()).toString(),
              Integer.toString(r.redriven()),
              Integer.toString(r.skipped()),
              Integer.toString(r.unredrivable()),
              r.filters() == null ? "-" : r.filters().describe()
            });
      }
      TextTable.aligned(rows).forEach(out::println);
      return 0;
    }
  }

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** At most {@code max} characters on one line: line breaks shown as spaces, "..." when cut. */
  static String truncate(String s, int max) {
    if (s == null) return "-";
    String one = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return one.length() <= max ? one : one.substring(0, Math.max(0, max - 3)) + "...";
  }
}
