package io.xfaas.bench.timeshift;

import io.xfaas.records.Criticality;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.replay.RunRecords;
import io.xfaas.replay.RunRecords.Arrival;
import io.xfaas.replay.RunRecords.Dispatch;
import io.xfaas.replay.RunRecords.Done;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one run's records into the benchmark's figures. Plain arithmetic, no Kafka, no clock.
 *
 * <p><b>Buckets.</b> Time from the replay's start is cut into buckets of {@code bucketMs}; arrivals
 * count by {@code submittedAt}, dispatches by RunQ's {@code dispatchedAt}, executions by the
 * outcome's {@code startedAt}. Rates are per second.
 *
 * <p><b>Peak-to-trough</b> is the highest bucket rate over the lowest, over the buckets that lie
 * wholly within the replay, less {@code edgeBuckets} at each end: the first ones hold the
 * pipeline's warm-up (JIT, first checkpoint), the last ones stop mid-arrival and are followed by
 * the drain. Work released after the replay ended (the drain) is thus not counted: a controller
 * that flattens by pushing work past the end of the window does not get credit for it. A trough of
 * 0 gives an infinite ratio.
 *
 * <p><b>Deadlines.</b> A DEFERRABLE call's deadline is <i>feasible</i> when {@code deadline -
 * submittedAt >= its emulated run time + feasibilityMarginMs} (it could have made it if dispatched
 * at once). It is <i>met</i> when its outcome is SUCCEEDED and finished by the deadline; anything
 * else (EXPIRED, finished late, failed, rejected, no outcome by the end of the drain) is a miss.
 *
 * <p><b>Days.</b> When the replay plays its day more than once, only the last day is measured
 * ({@code measureFromMs}): the counted buckets are its own less the edges; the days before are
 * there for the controller to learn the day's shape. The level shown is the mean arrival rate of
 * the day before the measured one (what the level-seeking controller aims at, smoothing aside).
 *
 * <p><b>Utilization</b> of the sidecar pool over the counted buckets: the calls' execution time
 * ({@code finishedAt - startedAt}, clipped to the counted span) over {@code slots} times the span.
 * <b>Capacity</b> in calls/s: {@code slots} over the mean execution time of the run's calls.
 *
 * <p><b>CRITICAL queueing delay</b>: {@code dispatchedAt - submittedAt} of each CRITICAL first
 * attempt on RunQ submitted within the counted buckets; p50 and p99 by nearest rank. Calls never
 * dispatched are counted apart.
 */
public final class TimeshiftAnalysis {
  private TimeshiftAnalysis() {}

  /**
   * Where and how to measure.
   *
   * @param startMs when the replay started (epoch ms)
   * @param endMs when its last call was due (epoch ms)
   * @param bucketMs bucket width
   * @param edgeBuckets whole buckets left out at each end of the replay
   * @param feasibilityMarginMs slack a deadline needs beyond the run time to count as feasible
   * @param measureFromMs where the measured day starts (the replay's start for one day)
   */
  public record Window(
      long startMs,
      long endMs,
      long bucketMs,
      int edgeBuckets,
      long feasibilityMarginMs,
      long measureFromMs) {
    public Window {
      if (bucketMs < 1
          || edgeBuckets < 0
          || endMs < startMs
          || measureFromMs < startMs
          || measureFromMs > endMs) {
        throw new IllegalArgumentException("bad window");
      }
    }

    /** One day, measured whole. */
    public Window(
        long startMs, long endMs, long bucketMs, int edgeBuckets, long feasibilityMarginMs) {
      this(startMs, endMs, bucketMs, edgeBuckets, feasibilityMarginMs, startMs);
    }
  }

  /**
   * One missed DEFERRABLE deadline, with where its time went (ms since epoch; null when it never
   * got there).
   */
  public record Miss(
      String id,
      String tenant,
      long submittedAt,
      long deadline,
      long emulatedMs,
      Long dispatchedAt,
      Long startedAt,
      Long finishedAt,
      OutcomeStatus status) {
    /**
     * Latest start minus first dispatch: how much slack the scheduler left; null if undispatched.
     */
    public Long slackAtDispatchMs() {
      return dispatchedAt == null ? null : deadline - emulatedMs - dispatchedAt;
    }

    /** First dispatch to start: how long it waited at a sidecar; null if unknown. */
    public Long sidecarWaitMs() {
      return dispatchedAt == null || startedAt == null ? null : startedAt - dispatchedAt;
    }
  }

  /** One run's figures. */
  public record RunSummary(
      String label,
      Window window,
      long[] arrivals,
      long[] dispatches,
      long[] executions,
      int firstCounted,
      int endCounted,
      double receivedPeakToTrough,
      double dispatchedPeakToTrough,
      double executedPeakToTrough,
      long arrived,
      long dispatched,
      long deferrable,
      long deferrableFeasible,
      long deferrableMissed,
      long deferrableNoOutcome,
      long deferrableLate,
      long deferrableMaxLateMs,
      long deferrableDispatchedLate,
      List<Miss> misses,
      long critical,
      long criticalUndispatched,
      long criticalP50Ms,
      long criticalP99Ms,
      Map<OutcomeStatus, Long> statuses,
      Map<String, Long> metricTotals,
      Map<String, Long> decisions,
      long[] held,
      double levelPerSecond,
      double capacityPerSecond,
      double utilization) {

    /** A bucket's count as a rate per second. */
    public double rate(long count) {
      return count * 1000.0 / window.bucketMs();
    }
  }

  public static RunSummary analyze(String label, RunRecords r, Window w) {
    return analyze(label, r, w, 0);
  }

  /**
   * @param slots calls the sidecar pool runs at once, for utilization and capacity (0: unknown)
   */
  public static RunSummary analyze(String label, RunRecords r, Window w, int slots) {
    long last = w.endMs();
    for (Dispatch d : r.dispatches()) last = Math.max(last, d.dispatchedAt());
    for (Done d : r.outcomes()) {
      if (d.startedAt() != null) last = Math.max(last, d.startedAt());
    }
    int n = (int) ((last - w.startMs()) / w.bucketMs()) + 1;
    long[] arrivals = new long[n];
    long[] dispatches = new long[n];
    long[] executions = new long[n];
    for (Arrival a : r.arrivals()) count(arrivals, a.submittedAt(), w);
    for (Dispatch d : r.dispatches()) count(dispatches, d.dispatchedAt(), w);
    for (Done d : r.outcomes()) {
      if (d.startedAt() != null) count(executions, d.startedAt(), w);
    }
    int whole = (int) ((w.endMs() - w.startMs()) / w.bucketMs());
    // The measured day's first whole bucket, then the edge.
    int dayStart = (int) Math.min(whole, ceilDiv(w.measureFromMs() - w.startMs(), w.bucketMs()));
    int first = Math.min(dayStart + w.edgeBuckets(), whole);
    int end = Math.max(first, whole - w.edgeBuckets());

    Map<String, Long> firstDispatch = new HashMap<>();
    for (Dispatch d : r.dispatches()) {
      if (d.attempt() == 1) firstDispatch.putIfAbsent(d.id(), d.dispatchedAt());
    }
    Map<String, Done> doneById = new HashMap<>();
    Map<OutcomeStatus, Long> statuses = new EnumMap<>(OutcomeStatus.class);
    for (Done d : r.outcomes()) {
      doneById.putIfAbsent(d.id(), d);
      statuses.merge(d.status(), 1L, Long::sum);
    }
    long deferrable = 0, feasible = 0, missed = 0, noOutcome = 0, critical = 0;
    long late = 0, maxLate = 0, dispatchedLate = 0;
    List<Miss> misses = new ArrayList<>();
    for (Arrival a : r.arrivals()) {
      if (a.criticality() == Criticality.CRITICAL) critical++;
      if (a.criticality() != Criticality.DEFERRABLE || a.deadline() == null) continue;
      deferrable++;
      if (a.deadline() - a.submittedAt() < a.emulatedMs() + w.feasibilityMarginMs()) continue;
      feasible++;
      Done d = doneById.get(a.id());
      boolean met =
          d != null && d.status() == OutcomeStatus.SUCCEEDED && d.finishedAt() <= a.deadline();
      if (!met) {
        misses.add(
            new Miss(
                a.id(),
                a.tenant(),
                a.submittedAt(),
                a.deadline(),
                a.emulatedMs(),
                firstDispatch.get(a.id()),
                d == null ? null : d.startedAt(),
                d == null ? null : d.finishedAt(),
                d == null ? null : d.status()));
      }
      if (d == null) {
        noOutcome++;
        missed++;
      } else if (d.status() != OutcomeStatus.SUCCEEDED) {
        missed++;
      } else if (d.finishedAt() > a.deadline()) {
        missed++;
        late++;
        // Released too late by the scheduler, or released in time and queued behind others?
        Long dispatched = firstDispatch.get(a.id());
        if (dispatched != null && dispatched > a.deadline() - a.emulatedMs()) dispatchedLate++;
        maxLate = Math.max(maxLate, d.finishedAt() - a.deadline());
      }
    }
    // Queueing delay of the calls submitted in the counted buckets only: the same window as
    // peak-to-trough, so that the pipeline's warm-up does not dominate either run's p99.
    long from = w.startMs() + first * w.bucketMs();
    long to = w.startMs() + end * w.bucketMs();
    List<Long> delays = new ArrayList<>();
    Set<String> criticalDispatched = new HashSet<>();
    for (Dispatch d : r.dispatches()) {
      if (d.criticality() == Criticality.CRITICAL && d.attempt() == 1) {
        criticalDispatched.add(d.id());
        if (d.submittedAt() >= from && d.submittedAt() < to) {
          delays.add(Math.max(0, d.dispatchedAt() - d.submittedAt()));
        }
      }
    }
    delays.sort(null);
    long[] held = heldPerBucket(r, w, n);
    long dayMs = w.endMs() - w.measureFromMs();
    double level = Double.NaN;
    if (w.measureFromMs() - dayMs >= w.startMs() && dayMs > 0) {
      long before = 0;
      for (Arrival a : r.arrivals()) {
        if (a.submittedAt() >= w.measureFromMs() - dayMs && a.submittedAt() < w.measureFromMs()) {
          before++;
        }
      }
      level = before * 1000.0 / dayMs;
    }
    double busyMs = 0, execMs = 0;
    long executed = 0;
    for (Done d : r.outcomes()) {
      if (d.startedAt() == null) continue;
      execMs += Math.max(0, d.finishedAt() - d.startedAt());
      executed++;
      busyMs += Math.max(0, Math.min(d.finishedAt(), to) - Math.max(d.startedAt(), from));
    }
    double capacity =
        slots > 0 && executed > 0 && execMs > 0 ? slots * 1000.0 / (execMs / executed) : Double.NaN;
    double utilization =
        slots > 0 && to > from ? busyMs / ((double) slots * (to - from)) : Double.NaN;
    return new RunSummary(
        label,
        w,
        arrivals,
        dispatches,
        executions,
        first,
        end,
        peakToTrough(arrivals, first, end),
        peakToTrough(dispatches, first, end),
        peakToTrough(executions, first, end),
        r.arrivals().size(),
        r.dispatches().size(),
        deferrable,
        feasible,
        missed,
        noOutcome,
        late,
        maxLate,
        dispatchedLate,
        misses,
        critical,
        Math.max(0, critical - criticalDispatched.size()),
        percentile(delays, 0.50),
        percentile(delays, 0.99),
        statuses,
        r.metricTotals(),
        r.decisions(),
        held,
        level,
        capacity,
        utilization);
  }

  /**
   * The held DEFERRABLE backlog at the end of each bucket: each scheduler subtask's latest report
   * by then, summed.
   */
  static long[] heldPerBucket(RunRecords r, Window w, int n) {
    long[] out = new long[n];
    List<RunRecords.Held> reports = new ArrayList<>(r.held());
    reports.sort((a, b) -> Long.compare(a.reportedAt(), b.reportedAt()));
    Map<String, Long> latest = new HashMap<>();
    int k = 0;
    for (int i = 0; i < n; i++) {
      long end = w.startMs() + (i + 1) * w.bucketMs();
      while (k < reports.size() && reports.get(k).reportedAt() < end) {
        RunRecords.Held h = reports.get(k++);
        if (h.reportedAt() >= w.startMs()) latest.put(h.reporter(), h.deferrableWaiting());
      }
      long sum = 0;
      for (long v : latest.values()) sum += v;
      out[i] = sum;
    }
    return out;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Nearest-rank percentile of values, null values left out; -1 when there are none. */
  public static long percentileOf(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>();
    for (Long v : values) {
      if (v != null) sorted.add(v);
    }
    sorted.sort(null);
    return percentile(sorted, p);
  }

  /** Highest over lowest bucket in [first, end); NaN when there is no such bucket. */
  static double peakToTrough(long[] buckets, int first, int end) {
    if (end <= first) return Double.NaN;
    long max = Long.MIN_VALUE, min = Long.MAX_VALUE;
    for (int i = first; i < end; i++) {
      max = Math.max(max, buckets[i]);
      min = Math.min(min, buckets[i]);
    }
    return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
  }

  /** Nearest-rank percentile of sorted values; -1 when there are none. */
  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return -1;
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static void count(long[] buckets, long at, Window w) {
    if (at < w.startMs()) return;
    int i = (int) ((at - w.startMs()) / w.bucketMs());
    if (i < buckets.length) buckets[i]++;
  }
}
