package io.xfaas.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Checkpoints every job asks for: bounded failures, and durable storage or no start. */
class JobConfigurationTest {
  @Test
  void checkpointFailuresInARowAreBoundedByDefaultAndConfigurable() {
    Configuration byDefault =
        JobConfiguration.exactlyOnce(XfaasConfig.of(Map.of()), Duration.ofSeconds(1), "hashmap");
    assertThat(byDefault.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(3);

    Configuration one =
        JobConfiguration.exactlyOnce(
            XfaasConfig.of(Map.of(XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES.key(), "1")),
            Duration.ofSeconds(1),
            "hashmap");
    assertThat(one.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isEqualTo(1);
  }

  @Test
  void aNegativeBoundIsRejected() {
    assertThatThrownBy(
            () ->
                XfaasConfig.of(Map.of(XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES.key(), "-1"))
                    .getInt(XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutACheckpointDirectoryTheJobRefusesToStartAndSaysWhatToSet() {
    assertThatThrownBy(
            () -> JobConfiguration.requireDurableCheckpoints(new Configuration(), "xfaas-x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("xfaas-x needs durable checkpoint storage")
        .hasMessageContaining("execution.checkpointing.dir is not set")
        .hasMessageContaining("JobManager's memory")
        .hasMessageContaining("-Dexecution.checkpointing.dir=");
  }

  @Test
  void jobManagerStorageIsRefusedEvenWithADirectory() {
    Configuration c = new Configuration();
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/cp");
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "jobmanager");
    assertThat(JobConfiguration.checkpointStorageProblem(c))
        .isEqualTo("execution.checkpointing.storage is jobmanager");
    assertThatThrownBy(() -> JobConfiguration.requireDurableCheckpoints(c, "xfaas-x"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCheckpointDirectoryIsDurableStorage() {
    Configuration c = new Configuration();
    c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/xfaas/checkpoints");
    assertThat(JobConfiguration.checkpointStorageProblem(c)).isNull();
    JobConfiguration.requireDurableCheckpoints(c, "xfaas-x");
    c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    assertThat(JobConfiguration.checkpointStorageProblem(c)).isNull();
  }
}
