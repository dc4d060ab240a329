package io.xfaas.scheduler.workflows;

import io.xfaas.kafka.DurableQRecord;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.scheduler.functions.Admission;
import io.xfaas.scheduler.functions.ParseInvocations;
import io.xfaas.scheduler.functions.StampDispatch;
import io.xfaas.time.WallClock;
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

  /** Where the scheduler's three outputs go. */
  public record Sinks(
      Sink<Invocation> runQ, Sink<Outcome> outcomes, Sink<DeadLetter> deadLetters) {}

  public static void define(
      StreamExecutionEnvironment env,
      Source<DurableQRecord, ?, ?> durableQ,
      Sinks sinks,
      Admission admission,
      WallClock clock) {
    // Scheduling is wall-clock: no watermarks, timers are processing time.
    DataStream<DurableQRecord> records =
        env.fromSource(
                durableQ,
                WatermarkStrategy.noWatermarks(),
                "durableq",
                TypeInformation.of(DurableQRecord.class))
            .uid("durableq-source");

    SingleOutputStreamOperator<Invocation> admitted =
        records
            .process(new ParseInvocations(admission, clock), TypeInformation.of(Invocation.class))
            .name("parse")
            .uid("parse");

    DataStream<Invocation> dispatched =
        admitted
            .keyBy(Invocation::tenant)
            .process(new StampDispatch(clock), TypeInformation.of(Invocation.class))
            .name("dispatch")
            .uid("dispatch");

    dispatched.sinkTo(sinks.runQ()).name("runq").uid("runq-sink");
    admitted
        .getSideOutput(ParseInvocations.OUTCOMES)
        .sinkTo(sinks.outcomes())
        .name("outcomes")
        .uid("outcomes-sink");
    admitted
        .getSideOutput(ParseInvocations.DEAD_LETTERS)
        .sinkTo(sinks.deadLetters())
        .name("dlq")
        .uid("dlq-sink");
  }
}
