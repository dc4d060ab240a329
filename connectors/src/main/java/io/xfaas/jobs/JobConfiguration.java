package io.xfaas.jobs;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;

/** What every xfaas job asks of Flink, whatever the cluster says. */
public final class JobConfiguration {
  private JobConfiguration() {}

  /**
   * Exactly-once checkpoints every {@code checkpointInterval} (the Kafka sinks commit on them),
   * state in {@code stateBackend}, and no silent Kryo fallback.
   */
  public static Configuration exactlyOnce(Duration checkpointInterval, String stateBackend) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    return conf;
  }
}
