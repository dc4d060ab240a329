package io.xfaas.scheduler.workflows;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.scheduler.functions.Admission;
import io.xfaas.scheduler.functions.DeduplicateOutcomes;
import io.xfaas.scheduler.functions.ParseInvocations;
import io.xfaas.scheduler.functions.ParseResults;
import io.xfaas.scheduler.functions.ResultParser;
import io.xfaas.scheduler.functions.StampDispatch;
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
 * The scheduler's graph, apart from where its input comes from and its output goes: DurableQ →
 * parse → keyBy(tenant) → dispatch → RunQ, with outcomes and dead letters on the side. Tests call
 * {@link #define} with their own source and sinks.
 */
public final class SchedulerWorkflow {
  private SchedulerWorkflow() {}

  /** Where the scheduler's input comes from: DurableQ, and the sidecars' results. */
  public record Sources(Source<RawRecord, ?, ?> durableQ, Source<RawRecord, ?, ?> results) {}

  /** The workflow's own settings. */
  public record Settings(Admission admission, String region, Duration dedupWindow) {}

  /** Where the scheduler's three outputs go. */
  public record Sinks(
      Sink<Invocation> runQ, Sink<Outcome> outcomes, Sink<DeadLetter> deadLetters) {}

  public static void define(
      StreamExecutionEnvironment env,
      Sources sources,
      Sinks sinks,
      Settings settings,
      WallClock clock) {
    // Scheduling is wall-clock: no watermarks, timers are processing time.
    DataStream<RawRecord> records =
        env.fromSource(
                sources.durableQ(),
                WatermarkStrategy.noWatermarks(),
                "durableq",
                TypeInformation.of(RawRecord.class))
            .uid("durableq-source");

    SingleOutputStreamOperator<Invocation> admitted =
        records
            .process(
                new ParseInvocations(settings.admission(), clock),
                TypeInformation.of(Invocation.class))
            .name("parse")
            .uid("parse");

    DataStream<Invocation> dispatched =
        admitted
            .keyBy(Invocation::tenant)
            .process(new StampDispatch(clock), TypeInformation.of(Invocation.class))
            .name("dispatch")
            .uid("dispatch");

    dispatched.sinkTo(sinks.runQ()).name("runq").uid("runq-sink");

    SingleOutputStreamOperator<Outcome> results =
        env.fromSource(
                sources.results(),
                WatermarkStrategy.noWatermarks(),
                "results",
                TypeInformation.of(RawRecord.class))
            .uid("results-source")
            .process(
                new ParseResults(new ResultParser(settings.region()), clock),
                TypeInformation.of(Outcome.class))
            .name("parse-results")
            .uid("parse-results");
    DataStream<Outcome> finished =
        results
            .keyBy(Outcome::id)
            .process(
                new DeduplicateOutcomes(settings.dedupWindow()), TypeInformation.of(Outcome.class))
            .name("dedup-results")
            .uid("dedup-results");

    finished
        .union(admitted.getSideOutput(ParseInvocations.OUTCOMES))
        .sinkTo(sinks.outcomes())
        .name("outcomes")
        .uid("outcomes-sink");
    admitted
        .getSideOutput(ParseInvocations.DEAD_LETTERS)
        .union(results.getSideOutput(ParseInvocations.DEAD_LETTERS))
        .sinkTo(sinks.deadLetters())
        .name("dlq")
        .uid("dlq-sink");
  }
}
