package io.xfaas.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Invocation;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery: the TaskManager running the scheduler dies while a tenant's FuncBuffer holds most of
 * its work. Restored from the last checkpoint, the job loses no buffered invocation and dispatches
 * none twice into the committed RunQ.
 */
class SchedulerRecoveryITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  private static final int CALLS = 3000;

  @Test
  void aTaskManagerLossLosesNothingBufferedAndDuplicatesNothing() throws Exception {
    XfaasConfig config = KAFKA.newRegion("recover", Map.of());
    // 200 dispatches/s: most of the work is still buffered when the TaskManager dies.
    TenantSettings slow =
        new TenantSettings("slow", 200, 10, 1_000_000, 1, 1_000_000, List.of(), null, 0);
    KAFKA.writeSettings(config, List.of(slow));

    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    Map<String, Integer> dispatches = new HashMap<>();
    try (SubmitterClient client = SubmitterClient.create(config);
        TopicReader runq = KAFKA.follow(config.topics().runq())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
      List<Invocation> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(InvocationBuilder.call("slow", "echo").id("call-" + i).build());
      }
      client.submitAllAndWait(calls);

      runq.followUntil(
          "a fifth of the calls in RunQ",
          Duration.ofSeconds(60),
          r -> count(serde, r.value(), dispatches),
          () -> dispatches.size() >= CALLS / 5);
      FLINK.miniCluster().terminateTaskManager(0).get();
      FLINK.miniCluster().startTaskManager();

      runq.followUntil(
          "every call in RunQ after the restart",
          Duration.ofMinutes(2),
          r -> count(serde, r.value(), dispatches),
          () -> dispatches.size() >= CALLS && runq.atEnd());
      assertThat(FLINK.numRestarts(job)).as("the job restarted").isPositive();
      // A late duplicate would be committed with a later checkpoint: wait for two, read again.
      FLINK.settle(job);
      runq.catchUp(r -> count(serde, r.value(), dispatches));
    } finally {
      job.cancel().get();
    }
    assertThat(dispatches).hasSize(CALLS);
    assertThat(dispatches.values())
        .as("dispatched twice into committed RunQ")
        .allMatch(n -> n == 1);
  }

  private static void count(InvocationSerde serde, byte[] value, Map<String, Integer> dispatches) {
    Invocation inv =
        ((ParseResult.Accepted) serde.parse(value, System.currentTimeMillis())).invocation();
    dispatches.merge(inv.id(), 1, Integer::sum);
  }
}
