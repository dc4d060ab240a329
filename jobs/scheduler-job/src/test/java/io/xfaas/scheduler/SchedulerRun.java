package io.xfaas.scheduler;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.ParseResult;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The scheduler job running for one region of the test's broker, on the MiniCluster set as the
 * context, with a submitter and read_committed readers (from their beginning) of RunQ, which is
 * what the sidecars see, and of the outcomes topic. Closing it closes them and cancels the job.
 */
public record SchedulerRun(
    JobClient job, SubmitterClient client, TopicReader runq, TopicReader outcomes)
    implements AutoCloseable {
  private static final InvocationSerde SERDE = new InvocationSerde(InvocationLimits.DEFAULTS);

  /** Starts the scheduler job for {@code config}, a region of {@code kafka}. */
  public static SchedulerRun start(EmbeddedKafkaExtension kafka, XfaasConfig config)
      throws Exception {
    return new SchedulerRun(
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config),
        SubmitterClient.create(config),
        kafka.follow(config.topics().runq()),
        kafka.follow(config.topics().outcomes()));
  }

  /** The invocation a RunQ record carries: the job writes only calls it accepted. */
  public static Invocation dispatched(byte[] runqValue) {
    return ((ParseResult.Accepted) SERDE.parse(runqValue, System.currentTimeMillis())).invocation();
  }

  @Override
  public void close() throws Exception {
    try (client;
        runq;
        outcomes) {
      FlinkClusterExtension.cancel(job);
    }
  }
}
