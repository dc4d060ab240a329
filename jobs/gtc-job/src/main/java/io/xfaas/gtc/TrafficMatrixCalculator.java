package io.xfaas.gtc;

import io.xfaas.records.RegionLoad;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The traffic matrix from every region's latest load: for each source region, the share of its new
 * work each region should receive. Plain logic, no Flink, no state of its own: the caller passes
 * the matrix in force (the previous result) and gets the next one.
 *
 * <ol>
 *   <li><b>Demand.</b> A region's schedulers see what the matrix in force sends them, not what
 *       their own submitters produce. The region's own demand is recovered by solving {@code
 *       arrivals[j] = sum_i demand[i] * previous[i][j]} (a few Gauss-Seidel sweeps; the matrix is
 *       local-first, so it converges), with the matrix that was in force while the window was
 *       measured, and smoothed with the previous estimate (reports are noisy). Arrivals are the
 *       schedulers' arrival rate, or the sidecars' completions plus the growth of the backlog when
 *       that is higher.
 *   <li><b>Local first.</b> A region plans to use {@code headroomTarget} of its capacity. Demand
 *       beyond that is overflow; below it is spare capacity (headroom).
 *   <li><b>Overflow</b> goes to regions with headroom, in proportion to their spare capacity. When
 *       the overflow is larger than all the headroom, each overflowing region sends the same
 *       fraction of its overflow and keeps the rest: with no headroom anywhere, work stays local.
 *   <li><b>Dead regions</b> (no report for {@code heartbeatTimeoutMs}) receive nothing, and their
 *       own submitters' work goes to the live regions by remaining headroom (by capacity when none
 *       is left). Draining is immediate, not limited by the step.
 *   <li><b>Damping.</b> A row whose largest change is below {@code hysteresis} stays as it is; a
 *       larger change moves at most {@code maxStep} toward the target (the whole row moves along
 *       the same line, so it stays a distribution).
 * </ol>
 *
 * Every row sums to 1 and has no negative share, so no work is ever lost by routing.
 */
public final class TrafficMatrixCalculator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Diagonal shares below this say too little about a region's own demand to solve for it. */
  private static final double OBSERVABLE = 0.05;

  private static final int SWEEPS = 20;

  /** Weight of the new demand estimate against the previous one (exponential smoothing). */
  static final double DEMAND_WEIGHT = 0.5;

  private static final double EPS = 1e-9;

  /** The calculator's knobs, from {@code xfaas.gtc.*}. */
  public record Settings(
      double headroomTarget, double hysteresis, double maxStep, long heartbeatTimeoutMs)
      implements Serializable {
    public Settings {
      if (!(headroomTarget > 0 && headroomTarget <= 1)) {
        throw new IllegalArgumentException("headroom target must be in (0, 1]: " + headroomTarget);
      }
      if (!(hysteresis >= 0 && hysteresis < 1)) {
        throw new IllegalArgumentException("hysteresis must be in [0, 1): " + hysteresis);
      }
      if (!(maxStep > 0 && maxStep <= 1)) {
        throw new IllegalArgumentException("max step must be in (0, 1]: " + maxStep);
      }
      if (heartbeatTimeoutMs <= 0) {
        throw new IllegalArgumentException("heartbeat timeout must be > 0: " + heartbeatTimeoutMs);
      }
    }
  }

  /**
   * One computed matrix.
   *
   * @param shares source region to (destination region to share); every known region has a row
   * @param inputs every region's load with its estimated demand and liveness
   * @param reasons source region to why its row is what it is
   */
  public record Result(
      Map<String, Map<String, Double>> shares,
      Map<String, RegionLoad> inputs,
      Map<String, String> reasons) {}

  private final Settings settings;

  public TrafficMatrixCalculator(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** The next matrix, when the arrivals were measured under the matrix in force. */
  public Result compute(
      Map<String, RegionLoad> latest,
      Map<String, RegionLoad> before,
      Map<String, Map<String, Double>> previous,
      long now) {
    return compute(latest, before, previous, previous, now);
  }

  /**
   * The next matrix.
   *
   * @param latest each region's latest window aggregate, with the previous demand estimate
   * @param before each region's window aggregate before the latest (for backlog growth), if any
   * @param previous the matrix in force (rows missing: everything local), the start of damping
   * @param measuredUnder the matrix submitters followed while the latest windows were measured
   * @param now the time liveness is judged at, epoch ms
   */
  public Result compute(
      Map<String, RegionLoad> latest,
      Map<String, RegionLoad> before,
      Map<String, Map<String, Double>> previous,
      Map<String, Map<String, Double>> measuredUnder,
      long now) {
    List<String> regions = new ArrayList<>(new TreeMap<>(latest).keySet());
    int n = regions.size();
    boolean[] alive = new boolean[n];
    double[] arrivals = new double[n];
    double[] usable = new double[n];
    for (int i = 0; i < n; i++) {
      RegionLoad l = latest.get(regions.get(i));
      alive[i] = now - l.lastReportAt() <= settings.heartbeatTimeoutMs();
      arrivals[i] = observedArrivals(l, before.get(regions.get(i)));
      usable[i] = Math.max(0, l.capacityPerSecond()) * settings.headroomTarget();
    }
    double[][] prev = matrix(regions, previous);
    double[] demand = demand(regions, latest, arrivals, matrix(regions, measuredUnder));

    // Overflow of live regions with a known capacity, and the headroom of the others.
    double[] overflow = new double[n];
    double[] spare = new double[n];
    double totalOverflow = 0;
    double totalSpare = 0;
    for (int i = 0; i < n; i++) {
      if (!alive[i] || usable[i] <= 0) continue; // capacity unknown: neither gives nor takes
      overflow[i] = Math.max(0, demand[i] - usable[i]);
      spare[i] = overflow[i] > 0 ? 0 : Math.max(0, usable[i] - demand[i]);
      totalOverflow += overflow[i];
      totalSpare += spare[i];
    }
    double served = totalOverflow > 0 ? Math.min(1.0, totalSpare / totalOverflow) : 0;
    double leftover = Math.max(0, totalSpare - totalOverflow * served);

    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    Map<String, RegionLoad> inputs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String src = regions.get(i);
      inputs.put(src, latest.get(src).judged(demand[i], alive[i]));
      double[] target = new double[n];
      String reason;
      if (!alive[i]) {
        target = drainTarget(i, alive, spare, usable, leftover, totalOverflow * served);
        reason = "drained";
        shares.put(src, toMap(regions, target)); // draining is not damped
        reasons.put(src, reason);
        continue;
      }
      target[i] = 1.0;
      if (overflow[i] > 0 && demand[i] > 0) {
        if (totalSpare <= 0) {
          reason = "no-headroom";
        } else {
          double sent = overflow[i] * served;
          for (int j = 0; j < n; j++) {
            if (j == i || spare[j] <= 0) continue;
            target[j] = sent * spare[j] / totalSpare / demand[i];
            target[i] -= target[j];
          }
          reason = "overflow";
        }
      } else {
        reason = "local";
      }
      double[] next = damp(prev[i], target);
      // A dead destination gets nothing at once. Its share goes to the other live destinations
      // of the row, which had headroom, in proportion; to the source only when there are none.
      double orphaned = 0;
      double others = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) continue;
        if (!alive[j]) {
          orphaned += next[j];
          next[j] = 0;
        } else {
          others += next[j];
        }
      }
      if (orphaned > 0) {
        for (int j = 0; j < n; j++) {
          if (j != i && alive[j] && others > EPS) next[j] += orphaned * next[j] / others;
        }
        if (others <= EPS) next[i] += orphaned;
      }
      shares.put(src, toMap(regions, normalize(next, i)));
      reasons.put(src, reason);
    }
    return new Result(shares, inputs, reasons);
  }

  /** Arrivals at a region per second: the schedulers' count, or completions plus backlog growth. */
  static double observedArrivals(RegionLoad now, RegionLoad before) {
    double growth = 0;
    if (before != null && now.windowEnd() > before.windowEnd()) {
      growth =
          Math.max(0, now.backlog() - before.backlog())
              * 1000.0
              / (now.windowEnd() - before.windowEnd());
    }
    return Math.max(Math.max(0, now.arrivalRate()), Math.max(0, now.dispatchRate()) + growth);
  }

  /**
   * Each region's own demand, from the arrivals the matrix in force produced. A region that kept
   * too little of its own work to be observed keeps its last estimate.
   */
  private static double[] demand(
      List<String> regions, Map<String, RegionLoad> latest, double[] arrivals, double[][] p) {
    int n = regions.size();
    double[] d = arrivals.clone();
    for (int i = 0; i < n; i++) {
      if (p[i][i] < OBSERVABLE) d[i] = Math.max(0, latest.get(regions.get(i)).demand());
    }
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      for (int i = 0; i < n; i++) {
        if (p[i][i] < OBSERVABLE) continue;
        double fromOthers = 0;
        for (int k = 0; k < n; k++) if (k != i) fromOthers += d[k] * p[k][i];
        d[i] = Math.max(0, (arrivals[i] - fromOthers) / p[i][i]);
      }
    }
    for (int i = 0; i < n; i++) {
      double last = latest.get(regions.get(i)).demand();
      if (last > 0 && p[i][i] >= OBSERVABLE)
        d[i] = DEMAND_WEIGHT * d[i] + (1 - DEMAND_WEIGHT) * last;
    }
    return d;
  }

  /** A dead region's row: the live regions' remaining headroom, else their capacity, else local. */
  private static double[] drainTarget(
      int dead, boolean[] alive, double[] spare, double[] usable, double leftover, double used) {
    int n = alive.length;
    double[] t = new double[n];
    double sum = 0;
    // Headroom left after the live regions' overflow took its part.
    double scale = used > 0 && leftover + used > 0 ? leftover / (leftover + used) : 1.0;
    for (int j = 0; j < n; j++) {
      if (alive[j]) {
        t[j] = spare[j] * scale;
        sum += t[j];
      }
    }
    if (sum <= EPS) {
      for (int j = 0; j < n; j++) {
        t[j] = alive[j] ? usable[j] : 0;
        sum += t[j];
      }
    }
    if (sum <= EPS) {
      for (int j = 0; j < n; j++) {
        t[j] = alive[j] ? 1 : 0;
        sum += t[j];
      }
    }
    if (sum <= EPS) {
      t[dead] = 1; // no live region at all: nowhere better to go
      return t;
    }
    for (int j = 0; j < n; j++) t[j] /= sum;
    return t;
  }

  /**
   * Hysteresis, then at most {@code maxStep} along the line from the row in force to the target.
   */
  private double[] damp(double[] from, double[] target) {
    double largest = 0;
    for (int j = 0; j < from.length; j++)
      largest = Math.max(largest, Math.abs(target[j] - from[j]));
    if (largest < settings.hysteresis() || largest <= EPS) return from.clone();
    double k = Math.min(1.0, settings.maxStep() / largest);
    double[] next = new double[from.length];
    for (int j = 0; j < from.length; j++) next[j] = from[j] + k * (target[j] - from[j]);
    return next;
  }

  /** Clears rounding dust and makes the row sum to exactly 1, adjusting the local share. */
  private static double[] normalize(double[] row, int local) {
    double sum = 0;
    for (int j = 0; j < row.length; j++) {
      if (j != local) {
        if (row[j] < EPS) row[j] = 0;
        sum += row[j];
      }
    }
    if (sum > 1) {
      for (int j = 0; j < row.length; j++) if (j != local) row[j] /= sum;
      sum = 1;
    }
    row[local] = 1 - sum;
    return row;
  }

  /**
   * The matrix in force over {@code regions}; a missing row, or one that is not valid, is local.
   */
  private static double[][] matrix(List<String> regions, Map<String, Map<String, Double>> m) {
    int n = regions.size();
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      Map<String, Double> row = m.get(regions.get(i));
      double sum = 0;
      if (row != null) {
        for (int j = 0; j < n; j++) {
          Double s = row.get(regions.get(j));
          p[i][j] = s == null || !(s > 0) ? 0 : s;
          sum += p[i][j];
        }
      }
      if (sum <= EPS) {
        p[i] = new double[n];
        p[i][i] = 1;
      } else {
        for (int j = 0; j < n; j++) p[i][j] /= sum;
      }
    }
    return p;
  }

  private static Map<String, Double> toMap(List<String> regions, double[] row) {
    Map<String, Double> m = new HashMap<>();
    for (int j = 0; j < row.length; j++) if (row[j] > 0) m.put(regions.get(j), row[j]);
    return new TreeMap<>(m);
  }
}
