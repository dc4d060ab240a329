package io.xfaas.kafka;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.LoadReport;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.security.SigningPolicy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Flink sources and sinks for the xfaas topics, built from configuration.
 *
 * <pre>{@code
 * XfaasConfig config = XfaasConfig.load(Path.of("flink-conf/xfaas.properties"), Map.of());
 * KafkaSource<RawRecord> durableQ = XfaasKafka.durableQSource(config);
 * KafkaSink<Invocation> runQ = XfaasKafka.runQSink(config);
 * }</pre>
 *
 * <p>Outcomes and dead letters are always written exactly once; RunQ and the telemetry (metrics,
 * decisions, load reports) with the guarantee configured for them ({@link Delivery}).
 */
public final class XfaasKafka {
  private XfaasKafka() {}

  /**
   * DurableQ, read committed, from the group's offsets (earliest for a new group); with the
   * signature headers when {@code xfaas.security.signing} is {@code required}.
   */
  public static KafkaSource<RawRecord> durableQSource(XfaasConfig config) {
    boolean signatures = config.get(XfaasOptions.SECURITY_SIGNING) == SigningPolicy.REQUIRED;
    return rawSource(
        config,
        config.topics().durableq(),
        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST),
        new RawRecordDeserializer(signatures));
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
    return rawSource(config, topic, start, new RawRecordDeserializer());
  }

  private static KafkaSource<RawRecord> rawSource(
      XfaasConfig config,
      String topic,
      OffsetsInitializer start,
      RawRecordDeserializer deserializer) {
    KafkaSourceBuilder<RawRecord> builder =
        KafkaSource.<RawRecord>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setTopics(topic)
            .setGroupId(config.get(XfaasOptions.SCHEDULER_GROUP_ID))
            .setStartingOffsets(start)
            .setDeserializer(deserializer)
            .setProperty("isolation.level", "read_committed");
    config.kafkaClientProperties().forEach(builder::setProperty);
    return builder.build();
  }

  /**
   * RunQ, keyed by function so each function's calls land on the same sidecars (spread over {@code
   * xfaas.scheduler.runq-function-spread} partitions); written with {@code
   * xfaas.scheduler.runq-delivery}.
   */
  public static KafkaSink<Invocation> runQSink(XfaasConfig config) {
    return runQSink(
        config,
        "runq",
        new RunQSerializer(
            config.topics().runq(), config.get(XfaasOptions.SCHEDULER_RUNQ_FUNCTION_SPREAD)));
  }

  /**
   * A sink that writes to RunQ as the scheduler does, with {@code xfaas.scheduler.runq-delivery}:
   * for jobs measured against the scheduler (the benchmarks' pass-through), which must pay what it
   * pays.
   */
  public static <T> KafkaSink<T> runQSink(
      XfaasConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
    return sink(config, name, serializer, config.get(XfaasOptions.SCHEDULER_RUNQ_DELIVERY));
  }

  /** Outcomes, keyed by invocation id; always exactly once (one terminal outcome per id). */
  public static KafkaSink<SerializedOutcome> outcomesSink(XfaasConfig config) {
    return exactlyOnce(config, "outcomes", outcomeSerializer(config.topics().outcomes()));
  }

  /** Dead letters, keyed by invocation id where there is one; always exactly once. */
  public static KafkaSink<DeadLetter> dlqSink(XfaasConfig config) {
    return exactlyOnce(config, "dlq", deadLetterSerializer(config.topics().dlq()));
  }

  static RunQSerializer runQSerializer(String topic) {
    return new RunQSerializer(topic, 1);
  }

  /** Outcomes as they already are: their JSON, keyed by id. */
  static JsonRecordSerializer<SerializedOutcome> outcomeSerializer(String topic) {
    return new JsonRecordSerializer<>(topic, o -> o.id(), o -> o.json());
  }

  static JsonRecordSerializer<DeadLetter> deadLetterSerializer(String topic) {
    return JsonRecordSerializer.json(topic, DeadLetter::id);
  }

  /**
   * Scheduling metrics, keyed by tenant; written with {@code xfaas.scheduler.telemetry-delivery}.
   */
  public static KafkaSink<SchedulingMetrics> metricsSink(XfaasConfig config) {
    return telemetry(config, "metrics", config.topics().metrics(), SchedulingMetrics::tenant);
  }

  /**
   * Scheduling decisions, keyed by invocation id; written with {@code
   * xfaas.scheduler.telemetry-delivery}.
   */
  public static KafkaSink<SchedulingDecision> decisionsSink(XfaasConfig config) {
    return telemetry(config, "decisions", config.topics().decisions(), SchedulingDecision::id);
  }

  /**
   * Load reports to the global load topic, keyed by region; written with {@code
   * xfaas.scheduler.telemetry-delivery}.
   */
  public static KafkaSink<LoadReport> loadSink(XfaasConfig config) {
    return telemetry(config, "load", config.topics().load(), LoadReport::region);
  }

  /** JSON records keyed by {@code key}, written with {@code xfaas.scheduler.telemetry-delivery}. */
  private static <T> KafkaSink<T> telemetry(
      XfaasConfig config, String name, String topic, SerializableFunction<T, String> key) {
    return sink(
        config,
        name,
        JsonRecordSerializer.json(topic, key),
        config.get(XfaasOptions.SCHEDULER_TELEMETRY_DELIVERY));
  }

  /** An exactly-once sink: see {@link #sink}. */
  public static <T> KafkaSink<T> exactlyOnce(
      XfaasConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
    return sink(config, name, serializer, Delivery.EXACTLY_ONCE);
  }

  /**
   * A sink with the given guarantee. An exactly-once sink writes in Kafka transactions committed on
   * the job's checkpoints, with a transactional-id prefix of its own (the job's prefix plus {@code
   * name}) and a transaction timeout below the broker's maximum. An at-least-once sink needs
   * neither: its idempotent producer writes at once and flushes on every checkpoint.
   */
  public static <T> KafkaSink<T> sink(
      XfaasConfig config,
      String name,
      KafkaRecordSerializationSchema<T> serializer,
      Delivery delivery) {
    KafkaSinkBuilder<T> builder =
        KafkaSink.<T>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setRecordSerializer(serializer)
            .setDeliveryGuarantee(guarantee(delivery))
            // Batches of a few hundred records: at Kafka's 5 ms / 16 KiB an end-to-end call cost
            // 90 us of CPU against 56, most of it the broker's and sidecars' requests and fetches
            // (docs/benchmarks.md).
            .setProperty(
                ProducerConfig.LINGER_MS_CONFIG,
                String.valueOf(config.get(XfaasOptions.SCHEDULER_PRODUCER_LINGER).toMillis()))
            .setProperty(
                ProducerConfig.BATCH_SIZE_CONFIG,
                String.valueOf(config.get(XfaasOptions.SCHEDULER_PRODUCER_BATCH_BYTES)));
    config.kafkaClientProperties().forEach(builder::setProperty);
    if (delivery == Delivery.EXACTLY_ONCE) {
      builder
          .setTransactionalIdPrefix(
              config.get(XfaasOptions.SCHEDULER_TRANSACTIONAL_ID_PREFIX) + "-" + name)
          .setProperty(
              "transaction.timeout.ms",
              String.valueOf(config.get(XfaasOptions.SCHEDULER_TRANSACTION_TIMEOUT).toMillis()));
    } else {
      // Kafka's default, stated: the producer's own retries never duplicate; only a failover does.
      builder.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }
    return builder.build();
  }

  /** Flink's name for a delivery guarantee, as {@code KafkaSinkBuilder} takes it. */
  public static DeliveryGuarantee guarantee(Delivery delivery) {
    return delivery == Delivery.EXACTLY_ONCE
        ? DeliveryGuarantee.EXACTLY_ONCE
        : DeliveryGuarantee.AT_LEAST_ONCE;
  }
}
