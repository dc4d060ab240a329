package io.xfaas.scheduler;

import static io.xfaas.testing.JobDefinitions.assertRefusedWithoutDurableStorage;
import static io.xfaas.testing.JobDefinitions.definedWithCheckpointDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.testing.JobDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;

/** What the scheduler job asks of Flink, from its own configuration. */
class SchedulerJobConfigurationTest {
  @Test
  void latencyKnobsComeFromTheXfaasConfiguration() {
    Configuration conf =
        SchedulerJob.jobConfiguration(
            XfaasConfig.of(
                Map.of(
                    XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "250ms",
                    XfaasOptions.SCHEDULER_BUFFER_TIMEOUT.key(), "3ms")));
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(3));
  }

  @Test
  void defaultsFlushNetworkBuffersWithin10msAndShareImmutableRecords() {
    Configuration conf = SchedulerJob.jobConfiguration(XfaasConfig.of(Map.of()));
    assertThat(conf.get(ExecutionOptions.BUFFER_TIMEOUT)).isEqualTo(Duration.ofMillis(10));
    assertThat(conf.get(PipelineOptions.OBJECT_REUSE)).isTrue();
    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
  }

  @Test
  void rocksDbCompactsSizeTieredAndFiltersPointReads() {
    Configuration conf = SchedulerJob.jobConfiguration(XfaasConfig.of(Map.of()));
    assertThat(conf.get(RocksDBConfigurableOptions.COMPACTION_STYLE))
        .isEqualTo(CompactionStyle.UNIVERSAL);
    assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    assertThat(conf.get(RocksDBOptions.OPTIONS_FACTORY))
        .isEqualTo(FuncBufferRocksDbOptions.class.getName());
  }

  @Test
  void memtablesFilterWholeKeysWithASmallFilter() {
    try (ColumnFamilyOptions options =
        new FuncBufferRocksDbOptions().createColumnOptions(new ColumnFamilyOptions(), List.of())) {
      assertThat(options.memtableWholeKeyFiltering()).isTrue();
      // Allocated with every memtable of every state: a large one starves a small managed memory.
      assertThat(options.memtablePrefixBloomSizeRatio()).isEqualTo(0.005);
    }
  }

  @Test
  void withoutDurableCheckpointStorageTheJobFailsAtOnceSayingWhatToSet() {
    assertRefusedWithoutDurableStorage(
            env -> SchedulerJob.define(env, XfaasConfig.of(Map.of())), "xfaas-scheduler-local")
        .hasMessageContaining("execution.checkpointing.dir");
  }

  @Test
  void withACheckpointDirectoryTheJobIsBuiltWithBoundedCheckpointFailures() {
    StreamExecutionEnvironment env =
        definedWithCheckpointDirectory(
            e ->
                SchedulerJob.define(
                    e,
                    XfaasConfig.of(
                        Map.of(XfaasOptions.CHECKPOINTS_TOLERABLE_FAILURES.key(), "2"))));
    assertThat(env.getCheckpointConfig().getTolerableCheckpointFailureNumber()).isEqualTo(2);
    assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(JobDefinitions.CHECKPOINT_DIR);
  }
}
