package io.xfaas.gtc;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.jobs.JobConfiguration;
import io.xfaas.jobs.JobMain;
import io.xfaas.kafka.JsonRecordSerializer;
import io.xfaas.records.GtcDecision;
import io.xfaas.records.LoadReport;
import io.xfaas.serde.Json;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Global Traffic Conductor: reads every region's load reports ({@code xfaas.load}), aggregates
 * them per region over tumbling event-time windows (event time = {@code reportedAt}, bounded
 * out-of-orderness, idle partitions do not hold the watermark back), computes the traffic matrix in
 * one operator ({@link TrafficMatrixFunction}) and writes one decision per source region to the
 * compacted decisions topic ({@code xfaas.gtc.decisions}, key = region), exactly once.
 *
 * <p>Arguments: {@code --config flink-conf/xfaas.properties} and any {@code -Dxfaas.key=value}. One
 * GTC job serves all regions; its {@code xfaas.region} does not matter.
 */
public final class GtcJob {
  private GtcJob() {}

  public static void main(String[] args) throws Exception {
    JobMain.run(args, GtcJob::jobConfiguration, GtcJob::define, config -> JOB_NAME);
  }

  public static final String JOB_NAME = "xfaas-gtc";

  /**
   * Builds the job on {@code env} and starts it without waiting.
   *
   * @throws IllegalStateException when {@code env} has no durable checkpoint storage
   */
  public static JobClient start(StreamExecutionEnvironment env, XfaasConfig config)
      throws Exception {
    define(env, config);
    return env.executeAsync(JOB_NAME);
  }

  /**
   * The job's graph with its Kafka source and sink, from configuration; refuses an environment
   * without durable checkpoint storage ({@link JobConfiguration#requireDurableCheckpoints}).
   */
  public static void define(StreamExecutionEnvironment env, XfaasConfig config) {
    env.configure(jobConfiguration(config));
    JobConfiguration.requireDurableCheckpoints(env.getConfiguration(), JOB_NAME);
    GtcWorkflow.define(
        env,
        new GtcWorkflow.Sources(loadSource(config)),
        new GtcWorkflow.Sinks(decisionsSink(config)),
        settings(config));
  }

  /** The workflow's settings, from configuration. */
  public static GtcWorkflow.Settings settings(XfaasConfig config) {
    return new GtcWorkflow.Settings(
        config.get(XfaasOptions.GTC_WINDOW),
        config.get(XfaasOptions.GTC_OUT_OF_ORDERNESS),
        config.get(XfaasOptions.GTC_IDLENESS),
        calculatorSettings(config),
        config.get(XfaasOptions.GTC_DECISION_INTERVAL).toMillis(),
        // Submitters see a decision once its checkpoint commits, and poll shortly after.
        config.get(XfaasOptions.GTC_CHECKPOINT_INTERVAL).toMillis() + 500);
  }

  public static TrafficMatrixCalculator.Settings calculatorSettings(XfaasConfig config) {
    return new TrafficMatrixCalculator.Settings(
        config.get(XfaasOptions.GTC_HEADROOM_TARGET),
        config.get(XfaasOptions.GTC_HYSTERESIS),
        config.get(XfaasOptions.GTC_MAX_STEP),
        config.get(XfaasOptions.GTC_HEARTBEAT_TIMEOUT).toMillis());
  }

  /**
   * The load topic, from the group's offsets; a new group starts at the end: old reports say
   * nothing about now, and would only make live regions look dead.
   */
  static KafkaSource<LoadReport> loadSource(XfaasConfig config) {
    var builder =
        KafkaSource.<LoadReport>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(config.topics().load())
            .setGroupId(config.get(XfaasOptions.GTC_GROUP_ID))
            .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
            .setDeserializer(new LoadReportDeserializer())
            .setProperty("isolation.level", "read_committed");
    config.kafkaClientProperties().forEach(builder::setProperty);
    return builder.build();
  }

  /**
   * The compacted decisions topic, key = source region, in transactions that commit on checkpoints.
   */
  static KafkaSink<GtcDecision> decisionsSink(XfaasConfig config) {
    var builder =
        KafkaSink.<GtcDecision>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(
                new JsonRecordSerializer<>(
                    config.topics().gtcDecisions(),
                    (GtcDecision d) -> d.sourceRegion(),
                    (GtcDecision d) -> Json.write(d)))
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix(config.get(XfaasOptions.GTC_TRANSACTIONAL_ID_PREFIX))
            .setProperty(
                "transaction.timeout.ms",
                String.valueOf(config.get(XfaasOptions.SCHEDULER_TRANSACTION_TIMEOUT).toMillis()));
    config.kafkaClientProperties().forEach(builder::setProperty);
    return builder.build();
  }

  /** Exactly-once checkpoints (the sink commits on them) and no silent Kryo fallback. */
  public static Configuration jobConfiguration(XfaasConfig config) {
    // A few regions' latest windows: small state, kept on the heap.
    return JobConfiguration.exactlyOnce(
        config, config.get(XfaasOptions.GTC_CHECKPOINT_INTERVAL), "hashmap");
  }
}
