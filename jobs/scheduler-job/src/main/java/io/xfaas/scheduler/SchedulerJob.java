package io.xfaas.scheduler;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.jobs.JobConfiguration;
import io.xfaas.jobs.JobMain;
import io.xfaas.kafka.XfaasKafka;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.operators.Admission;
import io.xfaas.scheduler.pacing.PacingSettings;
import io.xfaas.scheduler.pacing.UtilizationSettings;
import io.xfaas.scheduler.workflows.SchedulerWorkflow;
import io.xfaas.security.SigningKeySource;
import io.xfaas.security.SigningKeys;
import io.xfaas.security.SigningPolicy;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.time.WallClock;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompactionStyle;

/**
 * The scheduler job: reads DurableQ, the sidecars' results and the tenant config topic; writes
 * outcomes and the DLQ exactly once, and RunQ, scheduling metrics, decisions and load reports with
 * the guarantees configured for them ({@code xfaas.scheduler.runq-delivery}, {@code
 * xfaas.scheduler.telemetry-delivery}).
 *
 * <p>Arguments: {@code --config flink-conf/xfaas.properties} and any {@code -Dxfaas.key=value}.
 */
public final class SchedulerJob {
  private SchedulerJob() {}

  public static void main(String[] args) throws Exception {
    JobMain.run(args, SchedulerJob::jobConfiguration, SchedulerJob::define, SchedulerJob::jobName);
  }

  /** Builds the job on {@code env} and starts it without waiting. */
  public static JobClient start(StreamExecutionEnvironment env, XfaasConfig config)
      throws Exception {
    define(env, config);
    return env.executeAsync(jobName(config));
  }

  /**
   * The job's graph with its Kafka sources and sinks, from configuration; refuses an environment
   * without durable checkpoint storage ({@link JobConfiguration#requireDurableCheckpoints}).
   */
  public static void define(StreamExecutionEnvironment env, XfaasConfig config) {
    env.configure(jobConfiguration(config));
    JobConfiguration.requireDurableCheckpoints(env.getConfiguration(), jobName(config));
    env.setParallelism(config.getInt(XfaasOptions.SCHEDULER_PARALLELISM));
    SchedulerWorkflow.define(
        env,
        new SchedulerWorkflow.Sources(
            XfaasKafka.durableQSource(config),
            XfaasKafka.resultsSource(config),
            XfaasKafka.configSource(config),
            XfaasKafka.feedbackSource(config)),
        new SchedulerWorkflow.Sinks(
            XfaasKafka.runQSink(config),
            XfaasKafka.outcomesSink(config),
            XfaasKafka.dlqSink(config),
            XfaasKafka.metricsSink(config),
            XfaasKafka.decisionsSink(config),
            XfaasKafka.loadSink(config)),
        settings(config),
        WallClock.SYSTEM);
  }

  /** The workflow's settings, from configuration. */
  public static SchedulerWorkflow.Settings settings(XfaasConfig config) {
    Duration dedupWindow = config.get(XfaasOptions.SCHEDULER_DEDUP_WINDOW);
    return new SchedulerWorkflow.Settings(
        admission(config, dedupWindow),
        new FuncBuffer.Settings(
            config.region(),
            config.getLong(XfaasOptions.SCHEDULER_CAPACITY),
            config.defaultTenantSettings(),
            config.get(XfaasOptions.SCHEDULER_METRICS_INTERVAL).toMillis(),
            dedupWindow,
            1000,
            new PacingSettings(
                config.getBoolean(XfaasOptions.PACING_ENABLED),
                config.get(XfaasOptions.PACING_STEP).toMillis(),
                config.getDouble(XfaasOptions.PACING_DECREASE_FACTOR),
                config.getDouble(XfaasOptions.PACING_INCREASE),
                config.getDouble(XfaasOptions.PACING_MIN_RATE),
                config.getInt(XfaasOptions.PACING_UNPACE_AFTER_STEPS),
                config.get(XfaasOptions.FEEDBACK_STALE).toMillis(),
                config.getDouble(XfaasOptions.SIDECAR_WINDOW_LATENCY_TOLERANCE)),
            new UtilizationSettings(
                config.getDouble(XfaasOptions.UTILIZATION_TARGET),
                config.getDouble(XfaasOptions.UTILIZATION_HYSTERESIS),
                config.get(XfaasOptions.DEFERRAL_MARGIN).toMillis(),
                config.get(XfaasOptions.FEEDBACK_STALE).toMillis(),
                config.getLong(XfaasOptions.SCHEDULER_CAPACITY),
                UtilizationSettings.Mode.valueOf(
                    config.get(XfaasOptions.TIMESHIFT_CONTROLLER).name()),
                config.get(XfaasOptions.TIMESHIFT_CYCLE).toMillis(),
                config.get(XfaasOptions.TIMESHIFT_SLOTS)),
            config.get(XfaasOptions.LOAD_REPORT_INTERVAL).toMillis()),
        dedupWindow,
        config.getInt(XfaasOptions.SCHEDULER_RECORD_CACHE));
  }

  /**
   * The DurableQ admission: with {@code xfaas.security.signing=required}, signatures are checked
   * against the keys file (read here once, so that a missing or malformed file fails the job's
   * start; the operators read it again themselves, and the secrets never travel in the job graph).
   */
  static Admission admission(XfaasConfig config, Duration dedupWindow) {
    InvocationSerde serde = new InvocationSerde(config.invocationLimits());
    if (config.get(XfaasOptions.SECURITY_SIGNING) != SigningPolicy.REQUIRED) {
      return new Admission(serde, config.region());
    }
    String file = config.get(XfaasOptions.SECURITY_SIGNING_KEYS_FILE);
    if (file.isBlank()) {
      throw new IllegalArgumentException(
          "xfaas.security.signing=required needs xfaas.security.signing-keys-file");
    }
    SigningKeys.load(Path.of(file));
    return new Admission(
        serde,
        config.region(),
        SigningKeySource.file(
            file, config.get(XfaasOptions.SECURITY_SIGNING_KEYS_RELOAD).toMillis()),
        dedupWindow.toMillis());
  }

  public static String jobName(XfaasConfig config) {
    return "xfaas-scheduler-" + config.region();
  }

  /**
   * What the job needs from Flink whatever the cluster says: exactly-once checkpoints (the Kafka
   * sinks commit on them), RocksDB state, and no silent Kryo fallback.
   */
  public static Configuration jobConfiguration(XfaasConfig config) {
    Configuration conf =
        JobConfiguration.exactlyOnce(
            config, config.get(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL), "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    // Every record type is an immutable Java record: chained operators may share an instance
    // instead of copying it for each one.
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    conf.set(ExecutionOptions.BUFFER_TIMEOUT, config.get(XfaasOptions.SCHEDULER_BUFFER_TIMEOUT));
    rocksDbOptions(conf);
    return conf;
  }

  /**
   * RocksDB tuned for the FuncBuffer's access pattern: many point reads of small per-tenant values,
   * half of them for keys that do not exist (an idle tenant's wake-up, a new id). Bloom filters
   * answer those without reading every level.
   */
  public static void rocksDbOptions(Configuration conf) {
    conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
    // Every call writes a new id entry, and incremental checkpoints flush the memtables twice a
    // second, so leveled compaction rewrote the growing level 1 again and again: 7 us of
    // background CPU per call, against 3.5 us with size-tiered (universal) compaction (xfaas bench,
    // 10 tenants, 2 M calls, 2026-12-06). Its cost is space: up to twice the live state on disk.
    conf.set(RocksDBConfigurableOptions.COMPACTION_STYLE, CompactionStyle.UNIVERSAL);
    conf.set(RocksDBOptions.OPTIONS_FACTORY, FuncBufferRocksDbOptions.class.getName());
    // Timers on the heap: a backlogged tenant holds at most two, an idle one none, so they stay
    // small even with a million tenants, and registering one is no longer a RocksDB write.
    conf.set(
        RocksDBOptions.TIMER_SERVICE_FACTORY,
        EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
  }
}
