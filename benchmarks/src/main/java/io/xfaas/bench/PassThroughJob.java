package io.xfaas.bench;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.RawRecord;
import io.xfaas.kafka.XfaasKafka;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The baseline: DurableQ to RunQ with nothing in between, on the scheduler's terms. Same source
 * (read committed, raw bytes), same Kafka sink with the same guarantee ({@code
 * xfaas.scheduler.runq-delivery}), same checkpointing, parallelism and topics; records are copied
 * key and value as they are, so the bytes moved are the same.
 */
public final class PassThroughJob {
  private PassThroughJob() {}

  public static void define(StreamExecutionEnvironment env, XfaasConfig config) {
    env.setParallelism(config.getInt(XfaasOptions.SCHEDULER_PARALLELISM));
    env.fromSource(XfaasKafka.durableQSource(config), WatermarkStrategy.noWatermarks(), "DurableQ")
        .uid("durableq")
        .sinkTo(
            XfaasKafka.runQSink(
                config, "passthrough", new RawRecordSerializer(config.topics().runq())))
        .uid("runq")
        .name("RunQ");
  }

  /** Writes a raw record's key and value to {@code topic}. */
  static final class RawRecordSerializer
      implements org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<RawRecord> {
    private final String topic;

    RawRecordSerializer(String topic) {
      this.topic = topic;
    }

    @Override
    public org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> serialize(
        RawRecord r, KafkaSinkContext context, Long timestamp) {
      return new org.apache.kafka.clients.producer.ProducerRecord<>(topic, r.key(), r.value());
    }
  }
}
