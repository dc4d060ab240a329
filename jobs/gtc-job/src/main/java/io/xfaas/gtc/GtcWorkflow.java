package io.xfaas.gtc;

import io.xfaas.records.GtcDecision;
import io.xfaas.records.LoadReport;
import io.xfaas.records.RegionLoad;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The GTC job's graph, apart from where its input comes from and its output goes:
 *
 * <pre>
 * load reports ─▶ keyBy(region) ─▶ tumbling event-time window ─▶ one key ─▶ traffic matrix ─▶ decisions
 *   (event time = reportedAt)        (load per region per window)            (on a tick)
 * </pre>
 *
 * {@link GtcJob} wires it to Kafka; tests call {@link #define} with their own sources and sinks.
 */
public final class GtcWorkflow {
  private GtcWorkflow() {}

  /** Where the GTC's input comes from. */
  public record Sources(Source<LoadReport, ?, ?> loadReports) {}

  /** Where its decisions go. */
  public record Sinks(Sink<GtcDecision> decisions) {}

  /**
   * The workflow's own settings.
   *
   * @param window the tumbling window a region's load is aggregated over
   * @param outOfOrderness how late a report may come and still count in its window
   * @param idleness after how long a silent input stops holding the watermark back
   * @param matrix the traffic matrix's policy
   * @param decisionIntervalMs how often the matrix operator looks for news
   * @param applyDelayMs how long after a decision submitters follow it
   */
  public record Settings(
      Duration window,
      Duration outOfOrderness,
      Duration idleness,
      TrafficMatrixCalculator.Settings matrix,
      long decisionIntervalMs,
      long applyDelayMs) {}

  public static void define(
      StreamExecutionEnvironment env, Sources sources, Sinks sinks, Settings settings) {
    // One matrix for the world: the whole job is small and runs as one pipeline.
    env.setParallelism(1);
    WatermarkStrategy<LoadReport> watermarks =
        WatermarkStrategy.<LoadReport>forBoundedOutOfOrderness(settings.outOfOrderness())
            .withTimestampAssigner((r, ts) -> r.reportedAt())
            .withIdleness(settings.idleness());
    env.fromSource(sources.loadReports(), watermarks, "load reports")
        .uid("load-reports")
        .keyBy(LoadReport::region, Types.STRING)
        .window(TumblingEventTimeWindows.of(settings.window()))
        .aggregate(new RegionLoadAggregate(), new RegionWindow())
        .uid("region-load")
        .name("load per region per window")
        .keyBy((RegionLoad l) -> TrafficMatrixFunction.ALL_REGIONS, Types.STRING)
        .process(
            new TrafficMatrixFunction(
                settings.matrix(), settings.decisionIntervalMs(), settings.applyDelayMs()))
        .uid("traffic-matrix")
        .name("traffic matrix")
        .sinkTo(sinks.decisions())
        .uid("decisions")
        .name("gtc decisions");
  }
}
