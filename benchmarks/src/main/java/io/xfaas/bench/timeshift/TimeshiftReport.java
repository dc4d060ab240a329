package io.xfaas.bench.timeshift;

import io.xfaas.bench.timeshift.TimeshiftAnalysis.Miss;
import io.xfaas.bench.timeshift.TimeshiftAnalysis.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The benchmark's result as Markdown: a table of both runs side by side, the three acceptance
 * figures, and how they were measured. Printed as is and written to {@code timeshift-<date>.md}.
 */
public final class TimeshiftReport {
  private TimeshiftReport() {}

  /**
   * @param title the heading
   * @param setup lines describing what ran (trace window, sampling, capacity...)
   * @param base the run with the time-shifting controller off
   * @param spike the run with it on
   * @param chartFile the chart's file name, linked from the report (null for none)
   * @param spikeTenant the spike's tenant, to count its misses apart
   */
  public static String markdown(
      String title,
      List<String> setup,
      RunSummary base,
      RunSummary spike,
      String chartFile,
      String spikeTenant) {
    StringBuilder s = new StringBuilder();
    s.append("# ").append(title).append("\n\n");
    for (String line : setup) s.append("- ").append(line).append('\n');
    s.append('\n');
    s.append("| | controller off | controller on |\n|---|---:|---:|\n");
    Table table = new Table(s, base, spike);
    table.row("calls arrived (DurableQ, first attempts)", r -> str(r.arrived()));
    table.row("dispatches (RunQ)", r -> str(r.dispatched()));
    table.row("received peak-to-trough", r -> ratio(r.receivedPeakToTrough()));
    table.row("dispatched peak-to-trough", r -> ratio(r.dispatchedPeakToTrough()));
    table.row("executed peak-to-trough (startedAt)", r -> ratio(r.executedPeakToTrough()));
    table.row("sidecar pool utilization (measured day)", r -> percent(r.utilization()));
    table.row("capacity (calls/s, slots / mean run time)", r -> oneDecimal(r.capacityPerSecond()));
    table.row(
        "level (calls/s, the day before's mean arrivals)", r -> oneDecimal(r.levelPerSecond()));
    table.row("peak held DEFERRABLE backlog", r -> str(maxIn(r, r.held())));
    table.row("peak arrivals / s", r -> rate(r, maxIn(r, r.arrivals())));
    table.row("lowest arrivals / s", r -> rate(r, minIn(r, r.arrivals())));
    table.row("peak executions / s", r -> rate(r, maxIn(r, r.executions())));
    table.row("lowest executions / s", r -> rate(r, minIn(r, r.executions())));
    table.row("peak dispatches / s", r -> rate(r, maxIn(r, r.dispatches())));
    table.row(
        "DEFERRABLE calls (feasible deadline)",
        r -> r.deferrable() + " (" + r.deferrableFeasible() + ")");
    table.row(
        "DEFERRABLE misses among feasible",
        r ->
            r.deferrableMissed()
                + (r.deferrableNoOutcome() > 0
                    ? " (" + r.deferrableNoOutcome() + " without outcome)"
                    : ""));
    table.row(
        "of which finished late (latest, ms)",
        r -> r.deferrableLate() + " (" + r.deferrableMaxLateMs() + ")");
    table.row(
        "of which dispatched after deadline - run time", r -> str(r.deferrableDispatchedLate()));
    table.row(
        "misses: slack left at dispatch p50 / min (ms)",
        r -> missFigure(r, Miss::slackAtDispatchMs, 0.0));
    table.row(
        "misses: wait at the sidecar p50 / max (ms)", r -> missFigure(r, Miss::sidecarWaitMs, 1.0));
    table.row(
        "misses of the spike tenant",
        r -> str(r.misses().stream().filter(m -> m.tenant().equals(spikeTenant)).count()));
    table.row("CRITICAL calls", r -> str(r.critical()));
    table.row("CRITICAL queueing delay p50 (ms)", r -> ms(r.criticalP50Ms()));
    table.row("CRITICAL queueing delay p99 (ms)", r -> ms(r.criticalP99Ms()));
    table.row("CRITICAL never dispatched", r -> str(r.criticalUndispatched()));
    TreeSet<String> statuses = new TreeSet<>();
    base.statuses().keySet().forEach(k -> statuses.add(k.name()));
    spike.statuses().keySet().forEach(k -> statuses.add(k.name()));
    for (String st : statuses) {
      table.row("outcomes " + st, r -> str(count(r.statuses(), st)));
    }
    TreeSet<String> counters = new TreeSet<>(base.metricTotals().keySet());
    counters.addAll(spike.metricTotals().keySet());
    for (String c : counters) {
      table.row("scheduler metric `" + c + "`", r -> str(r.metricTotals().getOrDefault(c, 0L)));
    }
    TreeSet<String> decisions = new TreeSet<>(base.decisions().keySet());
    decisions.addAll(spike.decisions().keySet());
    for (String d : decisions) {
      table.row("decisions " + d, r -> str(r.decisions().getOrDefault(d, 0L)));
    }
    s.append('\n');
    for (String v : verdicts(base, spike)) s.append("**").append(v).append("**\n\n");
    if (chartFile != null)
      s.append("![arrivals and dispatches](").append(chartFile).append(")\n\n");
    s.append(method(base));
    return s.toString();
  }

  /** The acceptance figures, one line each: the controller-on run against its targets and off. */
  public static List<String> verdicts(RunSummary off, RunSummary on) {
    List<String> out = new ArrayList<>();
    out.add(
        verdict(
            met(on.executedPeakToTrough() <= 1.4),
            "Flattening (measured day): received %s -> executed %s peak-to-trough with the"
                + " controller on (dispatched %s), %s with it off (target <= 1.4x, XFaaS's 4.3x ->"
                + " 1.4x)",
            ratio(on.receivedPeakToTrough()),
            ratio(on.executedPeakToTrough()),
            ratio(on.dispatchedPeakToTrough()),
            ratio(off.executedPeakToTrough())));
    out.add(
        verdict(
            met(on.utilization() >= 0.66),
            "Sidecar pool utilization, measured day: %s with the controller on, %s off (target >="
                + " 66%%)",
            percent(on.utilization()),
            percent(off.utilization())));
    out.add(
        verdict(
            met(on.deferrableMissed() == 0),
            "Deadline misses among feasible DEFERRABLE calls: %d of %d with the controller on, %d"
                + " of %d off (target 0)",
            on.deferrableMissed(),
            on.deferrableFeasible(),
            off.deferrableMissed(),
            off.deferrableFeasible()));
    boolean comparable = off.criticalP99Ms() > 0 && on.criticalP99Ms() >= 0;
    double r = comparable ? (double) on.criticalP99Ms() / off.criticalP99Ms() : Double.NaN;
    String ratio = comparable ? String.format(Locale.ROOT, "%.2f", r) : "n/a";
    out.add(
        verdict(
            comparable ? met(r <= 1.10) : "n/a",
            "CRITICAL p99 queueing delay: %s ms with the controller on vs %s ms off, ratio %s"
                + " (target <= 1.10)",
            ms(on.criticalP99Ms()),
            ms(off.criticalP99Ms()),
            ratio));
    return out;
  }

  /** A verdict: the figures in {@code format}, then whether the target was met. */
  private static String verdict(String outcome, String format, Object... figures) {
    return String.format(Locale.ROOT, format, figures) + ": " + outcome;
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private static String method(RunSummary r) {
    TimeshiftAnalysis.Window w = r.window();
    return "Method: arrivals are bucketed by `submittedAt` (DurableQ), dispatches by `dispatchedAt`"
        + " (RunQ), executions by the outcome's `startedAt`, in "
        + w.bucketMs() / 1000.0
        + " s buckets from the replay's start. Peak-to-trough is the highest bucket over the"
        + " lowest among the buckets wholly inside the measured (last) day, less "
        + w.edgeBuckets()
        + " at each end (shaded in the chart with the days before); work dispatched after the"
        + " replay ended (the drain) is not counted. Utilization is the calls' execution time"
        + " within the counted buckets over the pool's slots times their span; the level is the"
        + " mean arrival rate of the day before the measured one; the held backlog is the sum of"
        + " the scheduler subtasks' latest load reports (DEFERRABLE calls waiting) in each bucket. A DEFERRABLE deadline is feasible when"
        + " deadline - submittedAt >= the emulated run time + "
        + w.feasibilityMarginMs()
        + " ms; it is met when the call SUCCEEDED and finished by its deadline, anything else"
        + " (EXPIRED, late, failed, no outcome) is a miss. CRITICAL queueing delay is dispatchedAt -"
        + " submittedAt of first attempts submitted within the counted buckets, percentiles by"
        + " nearest rank. Scheduler metrics are the"
        + " counters of the metrics topic summed over tenants and periods (the last, partial"
        + " period may be missing); decisions are the records of the decisions topic by decision and"
        + " reason.\n";
  }

  /** The table's rows: a figure of both runs side by side. */
  private record Table(StringBuilder s, RunSummary a, RunSummary b) {
    void row(String name, Function<RunSummary, String> f) {
      s.append("| ").append(name).append(" | ").append(f.apply(a)).append(" | ");
      s.append(f.apply(b)).append(" |\n");
    }
  }

  /** The misses' p50 and the percentile {@code extreme} (0: min, 1: max) of one figure. */
  private static String missFigure(RunSummary r, Function<Miss, Long> figure, double extreme) {
    List<Long> values = r.misses().stream().map(figure).toList();
    long p50 = TimeshiftAnalysis.percentileOf(values, 0.5);
    if (p50 < 0 && values.stream().allMatch(v -> v == null)) return "-";
    long end =
        extreme <= 0
            ? values.stream().filter(v -> v != null).min(Long::compare).orElse(-1L)
            : TimeshiftAnalysis.percentileOf(values, extreme);
    return p50 + " / " + end;
  }

  private static long count(Map<?, Long> m, String name) {
    for (Map.Entry<?, Long> e : m.entrySet()) {
      if (e.getKey().toString().equals(name)) return e.getValue();
    }
    return 0;
  }

  private static long maxIn(RunSummary r, long[] buckets) {
    long max = 0;
    for (int i = r.firstCounted(); i < r.endCounted(); i++) max = Math.max(max, buckets[i]);
    return max;
  }

  private static long minIn(RunSummary r, long[] buckets) {
    long min = Long.MAX_VALUE;
    for (int i = r.firstCounted(); i < r.endCounted(); i++) min = Math.min(min, buckets[i]);
    return min == Long.MAX_VALUE ? 0 : min;
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", v * 100);
  }

  private static String oneDecimal(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String rate(RunSummary r, long count) {
    return String.format(Locale.ROOT, "%.1f", r.rate(count));
  }

  static String ratio(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (Double.isInfinite(v)) return "inf (a bucket had none)";
    return String.format(Locale.ROOT, "%.2fx", v);
  }

  private static String ms(long v) {
    return v < 0 ? "n/a" : Long.toString(v);
  }

  private static String str(long v) {
    return Long.toString(v);
  }
}
