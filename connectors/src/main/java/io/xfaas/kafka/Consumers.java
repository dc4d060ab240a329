package io.xfaas.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Consumers that read a whole topic themselves, without a consumer group. */
public final class Consumers {
  private Consumers() {}

  /**
   * A consumer with {@code props}, assigned every partition of {@code topic} and standing at its
   * beginning.
   */
  public static KafkaConsumer<byte[], byte[]> fromBeginning(
      Map<String, Object> props, String topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    return consumer;
  }
}
