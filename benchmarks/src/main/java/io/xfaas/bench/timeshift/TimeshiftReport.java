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
    row(s, "calls arrived (DurableQ, first attempts)", base, spike, r -> str(r.arrived()));
    row(s, "dispatches (RunQ)", base, spike, r -> str(r.dispatched()));
    row(s, "received peak-to-trough", base, spike, r -> ratio(r.receivedPeakToTrough()));
    row(s, "dispatched peak-to-trough", base, spike, r -> ratio(r.dispatchedPeakToTrough()));
    row(
        s,
        "executed peak-to-trough (startedAt)",
        base,
        spike,
        r -> ratio(r.executedPeakToTrough()));
    row(s, "sidecar pool utilization (measured day)", base, spike, r -> percent(r.utilization()));
    row(
        s,
        "capacity (calls/s, slots / mean run time)",
        base,
        spike,
        r -> oneDecimal(r.capacityPerSecond()));
    row(
        s,
        "level (calls/s, the day before's mean arrivals)",
        base,
        spike,
        r -> oneDecimal(r.levelPerSecond()));
    row(s, "peak held DEFERRABLE backlog", base, spike, r -> str(maxIn(r, r.held())));
    row(s, "peak arrivals / s", base, spike, r -> rate(r, maxIn(r, r.arrivals())));
    row(s, "lowest arrivals / s", base, spike, r -> rate(r, minIn(r, r.arrivals())));
    row(s, "peak executions / s", base, spike, r -> rate(r, maxIn(r, r.executions())));
    row(s, "lowest executions / s", base, spike, r -> rate(r, minIn(r, r.executions())));
    row(s, "peak dispatches / s", base, spike, r -> rate(r, maxIn(r, r.dispatches())));
    row(
        s,
        "DEFERRABLE calls (feasible deadline)",
        base,
        spike,
        r -> r.deferrable() + " (" + r.deferrableFeasible() + ")");
    row(
        s,
        "DEFERRABLE misses among feasible",
        base,
        spike,
        r ->
            r.deferrableMissed()
                + (r.deferrableNoOutcome() > 0
                    ? " (" + r.deferrableNoOutcome() + " without outcome)"
                    : ""));
    row(
        s,
        "of which finished late (latest, ms)",
        base,
        spike,
        r -> r.deferrableLate() + " (" + r.deferrableMaxLateMs() + ")");
    row(
        s,
        "of which dispatched after deadline - run time",
        base,
        spike,
        r -> str(r.deferrableDispatchedLate()));
    row(
        s,
        "misses: slack left at dispatch p50 / min (ms)",
        base,
        spike,
        r -> missFigure(r, Miss::slackAtDispatchMs, 0.0));
    row(
        s,
        "misses: wait at the sidecar p50 / max (ms)",
        base,
        spike,
        r -> missFigure(r, Miss::sidecarWaitMs, 1.0));
    row(
        s,
        "misses of the spike tenant",
        base,
        spike,
        r -> str(r.misses().stream().filter(m -> m.tenant().equals(spikeTenant)).count()));
    row(s, "CRITICAL calls", base, spike, r -> str(r.critical()));
    row(s, "CRITICAL queueing delay p50 (ms)", base, spike, r -> ms(r.criticalP50Ms()));
    row(s, "CRITICAL queueing delay p99 (ms)", base, spike, r -> ms(r.criticalP99Ms()));
    row(s, "CRITICAL never dispatched", base, spike, r -> str(r.criticalUndispatched()));
    TreeSet<String> statuses = new TreeSet<>();
    base.statuses().keySet().forEach(k -> statuses.add(k.name()));
    spike.statuses().keySet().forEach(k -> statuses.add(k.name()));
    for (String st : statuses) {
      row(s, "outcomes " + st, base, spike, r -> str(count(r.statuses(), st)));
    }
    TreeSet<String> counters = new TreeSet<>(base.metricTotals().keySet());
    counters.addAll(spike.metricTotals().keySet());
    for (String c : counters) {
      row(
          s,
          "scheduler metric `" + c + "`",
          base,
          spike,
          r -> str(r.metricTotals().getOrDefault(c, 0L)));
    }
    TreeSet<String> decisions = new TreeSet<>(base.decisions().keySet());
    decisions.addAll(spike.decisions().keySet());
    for (String d : decisions) {
      row(s, "decisions " + d, base, spike, r -> str(r.decisions().getOrDefault(d, 0L)));
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
        String.format(
            Locale.ROOT,
            "Flattening (measured day): received %s -> executed %s peak-to-trough with the"
                + " controller on (dispatched %s), %s with it off (target <= 1.4x, XFaaS's 4.3x ->"
                + " 1.4x): %s",
            ratio(on.receivedPeakToTrough()),
            ratio(on.executedPeakToTrough()),
            ratio(on.dispatchedPeakToTrough()),
            ratio(off.executedPeakToTrough()),
            on.executedPeakToTrough() <= 1.4 ? "met" : "NOT met"));
    out.add(
        String.format(
            Locale.ROOT,
            "Sidecar pool utilization, measured day: %s with the controller on, %s off (target >="
                + " 66%%): %s",
            percent(on.utilization()),
            percent(off.utilization()),
            on.utilization() >= 0.66 ? "met" : "NOT met"));
    out.add(
        String.format(
            Locale.ROOT,
            "Deadline misses among feasible DEFERRABLE calls: %d of %d with the controller on, %d"
                + " of %d off (target 0): %s",
            on.deferrableMissed(),
            on.deferrableFeasible(),
            off.deferrableMissed(),
            off.deferrableFeasible(),
            on.deferrableMissed() == 0 ? "met" : "NOT met"));
    boolean comparable = off.criticalP99Ms() > 0 && on.criticalP99Ms() >= 0;
    double r = comparable ? (double) on.criticalP99Ms() / off.criticalP99Ms() : Double.NaN;
    String ratio = comparable ? String.format(Locale.ROOT, "%.2f", r) : "n/a";
    out.add(
        String.format(
            Locale.ROOT,
            "CRITICAL p99 queueing delay: %s ms with the controller on vs %s ms off, ratio %s"
                + " (target <= 1.10): %s",
            ms(on.criticalP99Ms()),
            ms(off.criticalP99Ms()),
            ratio,
            !comparable ? "n/a" : r <= 1.10 ? "met" : "NOT met"));
    return out;
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

  private static void row(
      StringBuilder s, String name, RunSummary a, RunSummary b, Function<RunSummary, String> f) {
    s.append("| ").append(name).append(" | ").append(f.apply(a)).append(" | ");
    s.append(f.apply(b)).append(" |\n");
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
