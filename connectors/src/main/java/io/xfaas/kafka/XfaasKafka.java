package io.xfaas.kafka;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.Outcome;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Flink sources and sinks for the xfaas topics, built from configuration.
 *
 * <pre>{@code
 * XfaasConfig config = XfaasConfig.load(Path.of("flink-conf/xfaas.properties"), Map.of());
 * KafkaSource<RawRecord> durableQ = XfaasKafka.durableQSource(config);
 * KafkaSink<Invocation> runQ = XfaasKafka.runQSink(config);
 * }</pre>
 */
public final class XfaasKafka {
  private XfaasKafka() {}

  /** DurableQ, read committed, from the group's offsets (earliest for a new group). */
  public static KafkaSource<RawRecord> durableQSource(XfaasConfig config) {
    return rawSource(config, config.topics().durableq());
  }

  /** The sidecars' attempt results, read like DurableQ. */
  public static KafkaSource<RawRecord> resultsSource(XfaasConfig config) {
    return rawSource(config, config.topics().results());
  }

  /**
   * The compacted config topic, always from its start: the latest value per key is the state of
   * every tenant's settings.
   */
  public static KafkaSource<RawRecord> configSource(XfaasConfig config) {
    return rawSource(config, config.topics().config(), OffsetsInitializer.earliest());
  }

  /**
   * The sidecars' feedback. A new job starts at the latest reports (old ones describe a past
   * state); a restored job continues from its checkpoint.
   */
  public static KafkaSource<RawRecord> feedbackSource(XfaasConfig config) {
    return rawSource(config, config.topics().feedback(), OffsetsInitializer.latest());
  }

  private static KafkaSource<RawRecord> rawSource(XfaasConfig config, String topic) {
    return rawSource(
        config, topic, OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
  }

  private static KafkaSource<RawRecord> rawSource(
      XfaasConfig config, String topic, OffsetsInitializer start) {
    return KafkaSource.<RawRecord>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setTopics(topic)
        .setGroupId(config.get(XfaasOptions.SCHEDULER_GROUP_ID))
        .setStartingOffsets(start)
        .setDeserializer(new RawRecordDeserializer())
        .setProperty("isolation.level", "read_committed")
        .build();
  }

  /** RunQ, keyed by function so each function's calls land on the same sidecars. */
  public static KafkaSink<Invocation> runQSink(XfaasConfig config) {
    return exactlyOnce(config, "runq", runQSerializer(config.topics().runq()));
  }

  // Value writers are lambdas, not two `Json::write` references: serializable method references
  // to the same method deserialize to whichever was compiled first, casting to its type.

  /** Outcomes, keyed by invocation id. */
  public static KafkaSink<Outcome> outcomesSink(XfaasConfig config) {
    return exactlyOnce(config, "outcomes", outcomeSerializer(config.topics().outcomes()));
  }

  /** Dead letters, keyed by invocation id where there is one. */
  public static KafkaSink<DeadLetter> dlqSink(XfaasConfig config) {
    return exactlyOnce(config, "dlq", deadLetterSerializer(config.topics().dlq()));
  }

  static JsonRecordSerializer<Invocation> runQSerializer(String topic) {
    return new JsonRecordSerializer<>(topic, Invocation::function, InvocationSerde::write);
  }

  static JsonRecordSerializer<Outcome> outcomeSerializer(String topic) {
    return new JsonRecordSerializer<>(topic, Outcome::id, (Outcome o) -> Json.write(o));
  }

  /** Scheduling metrics, keyed by tenant. */
  public static KafkaSink<SchedulingMetrics> metricsSink(XfaasConfig config) {
    return exactlyOnce(config, "metrics", metricsSerializer(config.topics().metrics()));
  }

  static JsonRecordSerializer<SchedulingMetrics> metricsSerializer(String topic) {
    return new JsonRecordSerializer<>(
        topic, SchedulingMetrics::tenant, (SchedulingMetrics m) -> Json.write(m));
  }

  static JsonRecordSerializer<DeadLetter> deadLetterSerializer(String topic) {
    return new JsonRecordSerializer<>(topic, DeadLetter::id, (DeadLetter d) -> Json.write(d));
  }

  /** Scheduling decisions, keyed by invocation id. */
  public static KafkaSink<SchedulingDecision> decisionsSink(XfaasConfig config) {
    return exactlyOnce(config, "decisions", decisionSerializer(config.topics().decisions()));
  }

  static JsonRecordSerializer<SchedulingDecision> decisionSerializer(String topic) {
    return new JsonRecordSerializer<>(
        topic, SchedulingDecision::id, (SchedulingDecision d) -> Json.write(d));
  }

  /** Load reports to the global load topic, keyed by region. */
  public static KafkaSink<LoadReport> loadSink(XfaasConfig config) {
    return exactlyOnce(config, "load", loadSerializer(config.topics().load()));
  }

  static JsonRecordSerializer<LoadReport> loadSerializer(String topic) {
    return new JsonRecordSerializer<>(topic, LoadReport::region, (LoadReport r) -> Json.write(r));
  }

  /**
   * An exactly-once sink. Each sink gets its own transactional-id prefix (the job's prefix plus
   * {@code name}), and a transaction timeout below the broker's maximum.
   */
  public static <T> KafkaSink<T> exactlyOnce(
      XfaasConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(
            config.get(XfaasOptions.SCHEDULER_TRANSACTIONAL_ID_PREFIX) + "-" + name)
        .setProperty(
            "transaction.timeout.ms",
            String.valueOf(config.get(XfaasOptions.SCHEDULER_TRANSACTION_TIMEOUT).toMillis()))
        .build();
  }
}
