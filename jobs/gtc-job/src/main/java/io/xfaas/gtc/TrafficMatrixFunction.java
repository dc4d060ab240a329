package io.xfaas.gtc;

import io.xfaas.records.GtcDecision;
import io.xfaas.records.RegionLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place the matrix is computed: every region's window aggregates arrive here (one key
 * for all), the latest of each region is kept, and on a processing-time tick the matrix is
 * recomputed when a region has a new window or a region's liveness changed. Emits one {@link
 * GtcDecision} per source region per new matrix, all with the same version.
 *
 * <p><b>Liveness.</b> A silent region has no window that fires, so it is judged against the others:
 * it is dead when its newest report is older than the heartbeat timeout compared with the newest
 * report of any region (a next-window check, made on every tick). Judging against this job's wall
 * clock instead would drain every region at once whenever the reports reach the job late (the
 * schedulers' reports only show at their checkpoints; the job may lag or restart); and when every
 * region is silent there is nowhere to drain to anyway.
 *
 * <p><b>Which matrix the arrivals reflect.</b> A decision reaches submitters after this job's
 * checkpoint commits it, so the windows just measured were produced by an earlier matrix. The
 * recent matrices are kept by decision time, and the demand is estimated under the one in force
 * {@code applyDelayMs} before the windows started.
 */
public final class TrafficMatrixFunction
    extends KeyedProcessFunction<String, RegionLoad, GtcDecision> {
  private static final Logger LOG = LoggerFactory.getLogger(TrafficMatrixFunction.class);

  /** The one key every region's load is sent under. */
  public static final String ALL_REGIONS = "all";

  private final TrafficMatrixCalculator calculator;
  private final long intervalMs;
  private final long applyDelayMs;

  private transient MapState<String, RegionLoad> latest;
  private transient MapState<String, RegionLoad> before;
  private transient MapState<String, GtcDecision> inForce;
  private transient ValueState<Long> version;
  private transient ValueState<Boolean> changed;
  private transient ValueState<String> liveness;
  private transient ValueState<Long> nextTick;
  private transient MapState<Long, Map<String, Map<String, Double>>> history;

  /**
   * @param intervalMs how often to look for news (new windows, a region gone silent)
   * @param applyDelayMs how long after a decision submitters follow it (about a checkpoint)
   */
  public TrafficMatrixFunction(
      TrafficMatrixCalculator.Settings settings, long intervalMs, long applyDelayMs) {
    this.calculator = new TrafficMatrixCalculator(settings);
    this.intervalMs = intervalMs;
    this.applyDelayMs = applyDelayMs;
  }

  // Operators' view (Prometheus: flink_taskmanager_job_task_operator_gtc*): what the latest tick
  // saw and decided. Plain fields: the metric reporter reads them from its own thread.
  private transient Counter decisions;
  private transient volatile int regions;
  private transient volatile int regionsAlive;
  private transient volatile long matrixVersion;

  @Override
  public void open(OpenContext ctx) {
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    decisions = metrics.counter("gtcDecisions");
    metrics.gauge("gtcRegions", () -> regions);
    metrics.gauge("gtcRegionsAlive", () -> regionsAlive);
    metrics.gauge("gtcMatrixVersion", () -> matrixVersion);
    TypeInformation<RegionLoad> load = TypeInformation.of(RegionLoad.class);
    latest =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("latest", Types.STRING, load));
    before =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("before", Types.STRING, load));
    inForce =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "in-force", Types.STRING, TypeInformation.of(GtcDecision.class)));
    version = getRuntimeContext().getState(new ValueStateDescriptor<>("version", Types.LONG));
    changed = getRuntimeContext().getState(new ValueStateDescriptor<>("changed", Types.BOOLEAN));
    liveness = getRuntimeContext().getState(new ValueStateDescriptor<>("liveness", Types.STRING));
    nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
    history =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "history",
                    Types.LONG,
                    Types.MAP(Types.STRING, Types.MAP(Types.STRING, Types.DOUBLE))));
  }

  @Override
  public void processElement(RegionLoad load, Context ctx, Collector<GtcDecision> out)
      throws Exception {
    RegionLoad old = latest.get(load.region());
    if (old != null && old.windowEnd() >= load.windowEnd()) return; // a late duplicate window
    if (old != null) before.put(load.region(), old);
    // The demand estimate carries over: a region that sends nearly all of its work away cannot be
    // measured from its own arrivals.
    latest.put(load.region(), old == null ? load : load.after(old));
    changed.update(true);
    if (nextTick.value() == null) {
      long at = ctx.timerService().currentProcessingTime() + intervalMs;
      ctx.timerService().registerProcessingTimeTimer(at);
      nextTick.update(at);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<GtcDecision> out)
      throws Exception {
    long at = timestamp + intervalMs;
    ctx.timerService().registerProcessingTimeTimer(at);
    nextTick.update(at);

    Map<String, RegionLoad> loads = new TreeMap<>();
    for (Map.Entry<String, RegionLoad> e : latest.entries()) loads.put(e.getKey(), e.getValue());
    if (loads.isEmpty()) return;
    long newest = 0;
    for (RegionLoad l : loads.values()) newest = Math.max(newest, l.lastReportAt());
    // The windows just measured: those of the live regions (a dead one's last window is old news).
    long oldestWindow = Long.MAX_VALUE;
    long timeout = calculator.settings().heartbeatTimeoutMs();
    for (RegionLoad l : loads.values()) {
      if (newest - l.lastReportAt() <= timeout)
        oldestWindow = Math.min(oldestWindow, l.windowStart());
    }
    String alive = liveness(loads, newest);
    int live = 0;
    for (RegionLoad l : loads.values()) if (newest - l.lastReportAt() <= timeout) live++;
    regions = loads.size();
    regionsAlive = live;
    if (!Boolean.TRUE.equals(changed.value()) && alive.equals(liveness.value())) return;

    Map<String, RegionLoad> previousWindows = new HashMap<>();
    for (Map.Entry<String, RegionLoad> e : before.entries()) {
      previousWindows.put(e.getKey(), e.getValue());
    }
    Map<String, Map<String, Double>> matrix = new HashMap<>();
    for (Map.Entry<String, GtcDecision> e : inForce.entries()) {
      matrix.put(e.getKey(), e.getValue().shares());
    }
    TrafficMatrixCalculator.Result result =
        calculator.compute(
            loads, previousWindows, matrix, measuredUnder(oldestWindow - applyDelayMs), newest);

    long v = version.value() == null ? 1 : version.value() + 1;
    version.update(v);
    matrixVersion = v;
    if (!result.shares().equals(matrix)) {
      // Operators want to see why traffic moved: the new matrix and what it was computed from.
      LOG.info("traffic matrix v{}: {} from {}", v, result.shares(), describe(result.inputs()));
    }
    List<RegionLoad> inputs = new ArrayList<>(result.inputs().values());
    for (Map.Entry<String, Map<String, Double>> row : result.shares().entrySet()) {
      GtcDecision d =
          new GtcDecision(
              row.getKey(),
              row.getValue(),
              inputs,
              result.reasons().get(row.getKey()),
              timestamp,
              v);
      inForce.put(row.getKey(), d);
      out.collect(d);
      decisions.inc();
    }
    for (RegionLoad judged : result.inputs().values()) latest.put(judged.region(), judged);
    if (!result.shares().equals(matrix)) history.put(timestamp, result.shares());
    changed.update(false);
    liveness.update(alive);
  }

  /**
   * The newest matrix decided at or before {@code at} (everything local when none was); older ones,
   * which no future window can need, are dropped.
   */
  private Map<String, Map<String, Double>> measuredUnder(long at) throws Exception {
    long best = Long.MIN_VALUE;
    List<Long> times = new ArrayList<>();
    for (Long t : history.keys()) {
      times.add(t);
      if (t <= at && t > best) best = t;
    }
    for (Long t : times) if (t < best) history.remove(t);
    return best == Long.MIN_VALUE ? Map.of() : history.get(best);
  }

  private static String describe(Map<String, RegionLoad> inputs) {
    StringJoiner s = new StringJoiner("; ");
    inputs.forEach(
        (r, l) ->
            s.add(
                String.format(
                    java.util.Locale.ROOT,
                    "%s%s arrivals %.1f/s demand %.1f/s capacity %.1f/s utilization %.2f backlog %d",
                    r,
                    l.alive() ? "" : " (dead)",
                    l.arrivalRate(),
                    l.demand(),
                    l.capacityPerSecond(),
                    l.utilization(),
                    l.backlog())));
    return s.toString();
  }

  private String liveness(Map<String, RegionLoad> loads, long now) {
    StringJoiner s = new StringJoiner(",");
    long timeout = calculator.settings().heartbeatTimeoutMs();
    loads.forEach((r, l) -> s.add(r + (now - l.lastReportAt() <= timeout ? "+" : "-")));
    return s.toString();
  }
}
