package io.xfaas.scheduler.outcomes;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.jobs.JobConfiguration;
import io.xfaas.jobs.JobMain;
import io.xfaas.kafka.RawRecord;
import io.xfaas.kafka.RawRecordDeserializer;
import io.xfaas.kafka.XfaasKafka;
import io.xfaas.security.TenantOutcomes;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Copies each outcome of the region's outcomes topic to its tenant's own outcomes topic ({@link
 * TenantOutcomes}), which only that tenant's principal may read: Kafka's ACLs are per topic, so
 * this is how a tenant reads its own outcomes and nobody else's. The outcomes topic already holds
 * exactly one terminal outcome per call (the scheduler's dedup); this job reads it committed-only
 * and writes in transactions committed on its checkpoints, so each tenant's topic does too.
 *
 * <p>Only tenants with settings on the config topic get a copy (their topic is made with their
 * principal, by {@code xfaas tenants set}); a call naming any other tenant, e.g. a forged one, must
 * not make a topic appear. An outcome that arrives before its tenant's settings are read waits for
 * them a while ({@link TenantGate}).
 */
public final class TenantOutcomesJob {
  private TenantOutcomesJob() {}

  /**
   * {@code flink run -c io.xfaas.scheduler.outcomes.TenantOutcomesJob JAR --config FILE [-DKEY=V]}:
   * as the scheduler's principal, beside the scheduler job (docker/docker-compose.secure.yml).
   */
  public static void main(String[] args) throws Exception {
    JobMain.run(
        args,
        TenantOutcomesJob::jobConfiguration,
        TenantOutcomesJob::define,
        TenantOutcomesJob::jobName);
  }

  /** A region's outcome, as it goes to its tenant's topic: tenant, Kafka key, the outcome. */
  static final TypeInformation<Tuple3<String, byte[], byte[]>> OUTCOME =
      Types.TUPLE(
          Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE), Types.PRIMITIVE_ARRAY(Types.BYTE));

  /** A tenant's settings appeared (true) or were removed (false). */
  static final TypeInformation<Tuple2<String, Boolean>> TENANT =
      Types.TUPLE(Types.STRING, Types.BOOLEAN);

  public static String jobName(XfaasConfig config) {
    return "xfaas tenant outcomes " + config.region();
  }

  /** Its consumer group on the outcomes and config topics. */
  public static String groupId(XfaasConfig config) {
    return TenantOutcomes.groupId(config);
  }

  /** Exactly-once checkpoints at the scheduler's interval; a tenant set on the heap. */
  public static Configuration jobConfiguration(XfaasConfig config) {
    return JobConfiguration.exactlyOnce(
        config, config.get(XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL), "hashmap");
  }

  public static void define(StreamExecutionEnvironment env, XfaasConfig config) {
    DataStream<Tuple3<String, byte[], byte[]>> outcomes =
        env.fromSource(
                source(
                    config,
                    config.topics().outcomes(),
                    OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST)),
                WatermarkStrategy.noWatermarks(),
                "outcomes")
            .uid("outcomes-source")
            .flatMap(new OutcomeTenant(), OUTCOME)
            .uid("outcome-tenant")
            .name("outcome tenant");
    DataStream<Tuple2<String, Boolean>> tenants =
        env.fromSource(
                source(config, config.topics().config(), OffsetsInitializer.earliest()),
                WatermarkStrategy.noWatermarks(),
                "tenant settings")
            .uid("config-source")
            .flatMap(new ConfigTenant(), TENANT)
            .uid("tenant-settings")
            .name("tenant settings");
    outcomes
        .keyBy(o -> o.f0, Types.STRING)
        .connect(tenants.keyBy(t -> t.f0, Types.STRING))
        .process(new TenantGate(TenantGate.DEFAULT_WAIT_MS), OUTCOME)
        .uid("tenant-gate")
        .name("known tenants only")
        .sinkTo(
            XfaasKafka.exactlyOnce(
                config, "tenant-outcomes", new TenantOutcomeSerializer(config.topics())))
        .uid("tenant-outcomes-sink")
        .name("tenant outcomes");
  }

  private static KafkaSource<RawRecord> source(
      XfaasConfig config, String topic, OffsetsInitializer start) {
    var builder =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(topic)
            .setGroupId(groupId(config))
            .setStartingOffsets(start)
            .setDeserializer(new RawRecordDeserializer())
            .setProperty("isolation.level", "read_committed");
    config.kafkaClientProperties().forEach(builder::setProperty);
    return builder.build();
  }
}
