package io.xfaas.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.RawRecord;
import io.xfaas.records.Criticality;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.testing.CollectingSink;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.time.WallClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SchedulerWorkflow} on a MiniCluster with bounded sources and collecting sinks, no Kafka: a
 * few invocations in, their RunQ records out.
 */
class SchedulerWorkflowITCase {
  /** One task manager with one slot: the job runs at parallelism 1. */
  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(1);

  private static final int CALLS = 5;

  /**
   * DurableQ record {@code i}: a call of tenant-a's {@code echo}, id {@code call-i}, complete as a
   * submitter sends it.
   */
  static RawRecord invocation(long i) {
    Invocation inv =
        InvocationBuilder.call("tenant-a", "echo")
            .id("call-" + i)
            .criticality(Criticality.NORMAL)
            .submittedAt(System.currentTimeMillis())
            .maxAttempts(3)
            .build();
    return new RawRecord(
        "durableq",
        0,
        i,
        System.currentTimeMillis(),
        inv.id().getBytes(StandardCharsets.UTF_8),
        InvocationSerde.write(inv));
  }

  /** A result record that is not JSON: the results parser sends it to the DLQ. */
  static RawRecord unreadableResult(long i) {
    return new RawRecord("results", 0, i, 0, null, "not json".getBytes(StandardCharsets.UTF_8));
  }

  /** A config record that is not a tenant's settings (its key has no "tenant/"): ignored. */
  static RawRecord unrelatedConfig(long i) {
    return new RawRecord("config", 0, i, 0, "other".getBytes(StandardCharsets.UTF_8), null);
  }

  /** A feedback record without a value: ignored. */
  static RawRecord emptyFeedback(long i) {
    return new RawRecord("feedback", 0, i, 0, null, null);
  }

  private static DataGeneratorSource<RawRecord> bounded(
      org.apache.flink.connector.datagen.source.GeneratorFunction<Long, RawRecord> records,
      int count) {
    return new DataGeneratorSource<>(records, count, TypeInformation.of(RawRecord.class));
  }

  @Test
  void invocationsInComeOutOnRunQ() throws Exception {
    StreamExecutionEnvironment env = FLINK.environment();
    env.setParallelism(1);
    XfaasConfig config = XfaasConfig.of(Map.of(XfaasOptions.REGION.key(), "workflow"));
    CollectingSink<Invocation> runQ = new CollectingSink<>();
    CollectingSink<SerializedOutcome> outcomes = new CollectingSink<>();
    CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
    CollectingSink<SchedulingDecision> decisions = new CollectingSink<>();

    SchedulerWorkflow.define(
        env,
        new SchedulerWorkflow.Sources(
            bounded(SchedulerWorkflowITCase::invocation, CALLS),
            bounded(SchedulerWorkflowITCase::unreadableResult, 1),
            bounded(SchedulerWorkflowITCase::unrelatedConfig, 1),
            bounded(SchedulerWorkflowITCase::emptyFeedback, 1)),
        new SchedulerWorkflow.Sinks(
            runQ,
            outcomes,
            deadLetters,
            new CollectingSink<SchedulingMetrics>(),
            decisions,
            new CollectingSink<LoadReport>()),
        SchedulerJob.settings(config),
        WallClock.SYSTEM);
    env.execute("scheduler-workflow");

    List<Invocation> dispatched = runQ.values();
    assertThat(dispatched)
        .as("decisions %s, outcomes %s", decisions.values(), outcomes.values())
        .extracting(Invocation::id)
        .containsExactlyInAnyOrder("call-0", "call-1", "call-2", "call-3", "call-4");
    assertThat(dispatched)
        .allSatisfy(
            inv -> {
              assertThat(inv.tenant()).isEqualTo("tenant-a");
              assertThat(inv.function()).isEqualTo("echo");
            });
    // Nothing ran, so nothing finished; the one unreadable result is a dead letter.
    assertThat(outcomes.values()).isEmpty();
    assertThat(deadLetters.values()).hasSize(1);
  }
}
