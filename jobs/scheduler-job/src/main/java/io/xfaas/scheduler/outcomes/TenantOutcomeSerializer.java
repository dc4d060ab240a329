package io.xfaas.scheduler.outcomes;

import io.xfaas.config.Topics;
import io.xfaas.security.TenantOutcomes;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** An outcome to its tenant's topic, with the key and bytes it had in the region's topic. */
final class TenantOutcomeSerializer
    implements KafkaRecordSerializationSchema<Tuple3<String, byte[], byte[]>> {
  private final Topics topics;

  TenantOutcomeSerializer(Topics topics) {
    this.topics = topics;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Tuple3<String, byte[], byte[]> o, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(TenantOutcomes.topic(topics, o.f0), null, timestamp, o.f1, o.f2);
  }
}
