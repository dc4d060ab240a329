package io.xfaas.jobs;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/** What every xfaas job asks of Flink, whatever the cluster says. */
public final class JobConfiguration {
  private JobConfiguration() {}

  /**
   * Exactly-once checkpoints every {@code checkpointInterval} (the Kafka sinks commit on them),
   * state in {@code stateBackend}, no silent Kryo fallback, and a bound on checkpoints failing in a
   * row ({@link XfaasOptions#CHECKPOINTS_TOLERABLE_FAILURES}): past it the job restarts from its
   * last completed checkpoint instead of running on while its sinks commit nothing.
   */
  public static Configuration exactlyOnce(
      XfaasConfig config, Duration checkpointInterval, String stateBackend) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(
        CheckpointingOptions.TOLERABLE_FAILURE_NUMBER,
        config.getInt(XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES));
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    return conf;
  }

  /**
   * Refuses to build a job whose checkpoints would live in the JobManager's memory: Flink's default
   * without {@code execution.checkpointing.dir}. There every checkpoint fails once the state passes
   * a few MB (the dedup ids alone do after about a hundred thousand calls a day), and the
   * exactly-once sinks stop committing. {@code effective} is the configuration the job is submitted
   * with: the client's or cluster's config.yaml, {@code -D} options, and the job's own.
   *
   * @throws IllegalStateException naming the job and what to set
   */
  public static void requireDurableCheckpoints(ReadableConfig effective, String jobName) {
    String problem = checkpointStorageProblem(effective);
    if (problem != null) {
      throw new IllegalStateException(
          jobName
              + " needs durable checkpoint storage, but "
              + problem
              + ": Flink would keep its checkpoints in the JobManager's memory, where they fail"
              + " once the state passes a few MB and the exactly-once sinks stop committing. Set "
              + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
              + " to a directory every JobManager and TaskManager reaches (file:///shared/...,"
              + " s3://..., hdfs://...) in the cluster's config.yaml or with -D"
              + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()
              + "=... at submission.");
    }
  }

  /** Why checkpoints would not be durable under {@code conf}, or null when they are. */
  public static String checkpointStorageProblem(ReadableConfig conf) {
    String storage = conf.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE).orElse("");
    if (storage.equalsIgnoreCase("jobmanager")) {
      return CheckpointingOptions.CHECKPOINT_STORAGE.key() + " is jobmanager";
    }
    String dir = conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse("");
    if (dir.isBlank()) return CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + " is not set";
    return null;
  }
}
