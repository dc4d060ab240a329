package io.xfaas.scheduler.workflows;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.FunctionFeedback;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.TenantConfigUpdate;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.operators.Admission;
import io.xfaas.scheduler.operators.FuncBufferFunction;
import io.xfaas.scheduler.operators.FuncBufferOperator;
import io.xfaas.scheduler.operators.ParseFeedback;
import io.xfaas.scheduler.operators.ParseInvocations;
import io.xfaas.scheduler.operators.ParseResults;
import io.xfaas.scheduler.operators.ParseTenantConfig;
import io.xfaas.scheduler.operators.ResultParser;
import io.xfaas.scheduler.wire.WireTypes;
import io.xfaas.time.WallClock;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scheduler's graph, apart from where its input comes from and its output goes:
 *
 * <pre>
 * DurableQ ─▶ parse ─┐                                       ┌─▶ RunQ
 *                    ├─▶ keyBy(tenant) ─▶ FuncBuffer ◀─ config (broadcast)
 * feedback ─▶ parse ─────────────────────┤ (broadcast: pacing,  ├─▶ metrics, decisions
 *                                        │  utilization)        └─▶ load reports
 * results ─▶ parse ─▶ keyBy(id) ─▶ dedup ─┘ (frees slots)
 *                                  └─▶ outcomes ◀─ REJECTED, EXPIRED, CANCELLED
 * </pre>
 *
 * Dead letters from every parser go to the DLQ. Tests call {@link #define} with their own sources
 * and sinks.
 */
public final class SchedulerWorkflow {
  private SchedulerWorkflow() {}

  /** Where the scheduler's input comes from. */
  public record Sources(
      Source<RawRecord, ?, ?> durableQ,
      Source<RawRecord, ?, ?> results,
      Source<RawRecord, ?, ?> config,
      Source<RawRecord, ?, ?> feedback) {}

  /**
   * The workflow's own settings; {@code recordCacheTenants} bounds the FuncBuffer's write-back
   * cache of tenant records ({@code xfaas.scheduler.record-cache-tenants}).
   */
  public record Settings(
      Admission admission,
      FuncBuffer.Settings funcBuffer,
      Duration dedupWindow,
      int recordCacheTenants) {}

  /** Where the scheduler's outputs go. */
  public record Sinks(
      Sink<Invocation> runQ,
      Sink<SerializedOutcome> outcomes,
      Sink<DeadLetter> deadLetters,
      Sink<SchedulingMetrics> metrics,
      Sink<SchedulingDecision> decisions,
      Sink<LoadReport> loadReports) {}

  public static void define(
      StreamExecutionEnvironment env,
      Sources sources,
      Sinks sinks,
      Settings settings,
      WallClock clock) {
    String region = settings.funcBuffer().region();
    // Scheduling is wall-clock: no watermarks, timers are processing time.
    SingleOutputStreamOperator<TenantEvent> admitted =
        read(env, sources.durableQ(), "durableq")
            .process(new ParseInvocations(settings.admission(), clock), WireTypes.TENANT_EVENT)
            .name("parse")
            .uid("parse");

    // Results go to their tenant's FuncBuffer, which lets the first one of an id through as its
    // outcome (and frees its slot) and drops the rest: one state access per result. A result with
    // no tenant still gets an outcome, under the empty tenant. Its bytes are the outcome's.
    SingleOutputStreamOperator<TenantEvent> finished =
        read(env, sources.results(), "results")
            .process(new ParseResults(new ResultParser(region), clock), WireTypes.TENANT_EVENT)
            .name("parse-results")
            .uid("parse-results");
    SingleOutputStreamOperator<TenantConfigUpdate> config =
        read(env, sources.config(), "config")
            .process(
                new ParseTenantConfig(region, clock), TypeInformation.of(TenantConfigUpdate.class))
            .name("parse-config")
            .uid("parse-config");
    SingleOutputStreamOperator<FunctionFeedback> feedback =
        read(env, sources.feedback(), "feedback")
            .process(new ParseFeedback(region), TypeInformation.of(FunctionFeedback.class))
            .name("parse-feedback")
            .uid("parse-feedback");
    DataStream<ControlEvent> control =
        config
            .map(ControlEvent::config, TypeInformation.of(ControlEvent.class))
            .name("config-event")
            .uid("config-event")
            .union(
                feedback
                    .map(ControlEvent::feedback, TypeInformation.of(ControlEvent.class))
                    .name("feedback-event")
                    .uid("feedback-event"));

    // The FuncBuffer's own operator (the keyed broadcast one, plus a write-back of the tenant
    // records before each checkpoint barrier) on a keyed stream connected to the broadcast one.
    SingleOutputStreamOperator<Invocation> dispatched =
        admitted
            .union(finished)
            .keyBy(TenantEvent::tenant)
            .connect(control.broadcast())
            .transform(
                "funcbuffer",
                WireTypes.INVOCATION,
                new FuncBufferOperator(
                    new FuncBufferFunction(settings.funcBuffer(), settings.recordCacheTenants())))
            .uid("funcbuffer");

    write(dispatched, sinks.runQ(), "runq");
    write(
        admitted
            .getSideOutput(ParseInvocations.OUTCOMES)
            .union(dispatched.getSideOutput(ParseInvocations.OUTCOMES)),
        sinks.outcomes(),
        "outcomes");
    write(dispatched.getSideOutput(FuncBufferFunction.METRICS), sinks.metrics(), "metrics");
    write(dispatched.getSideOutput(FuncBufferFunction.DECISIONS), sinks.decisions(), "decisions");
    write(dispatched.getSideOutput(FuncBufferFunction.LOAD), sinks.loadReports(), "load");
    write(
        admitted
            .getSideOutput(ParseInvocations.DEAD_LETTERS)
            .union(
                finished.getSideOutput(ParseInvocations.DEAD_LETTERS),
                config.getSideOutput(ParseInvocations.DEAD_LETTERS),
                feedback.getSideOutput(ParseInvocations.DEAD_LETTERS)),
        sinks.deadLetters(),
        "dlq");
  }

  private static DataStream<RawRecord> read(
      StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, String name) {
    return env.fromSource(
            source, WatermarkStrategy.noWatermarks(), name, TypeInformation.of(RawRecord.class))
        .uid(name + "-source");
  }

  /** A sink named {@code name}, its uid {@code name-sink} (savepoints map its state by it). */
  private static <T> void write(DataStream<T> stream, Sink<T> sink, String name) {
    stream.sinkTo(sink).name(name).uid(name + "-sink");
  }
}
