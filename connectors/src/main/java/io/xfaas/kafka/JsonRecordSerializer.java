package io.xfaas.kafka;

import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records of one type to one topic, with a key chosen per record (or none). */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
  private final String topic;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, byte[]> value;

  public JsonRecordSerializer(
      String topic, SerializableFunction<T, String> key, SerializableFunction<T, byte[]> value) {
    this.topic = topic;
    this.key = key;
    this.value = value;
  }

  /**
   * Records written as their JSON ({@link Json#write}), keyed by {@code key}. The writer is one
   * lambda over the erased type, not a {@code Json::write} reference per type: serializable method
   * references to the same method deserialize to whichever was compiled first, casting to its type.
   */
  public static <T> JsonRecordSerializer<T> json(
      String topic, SerializableFunction<T, String> key) {
    return new JsonRecordSerializer<>(topic, key, value -> Json.write(value));
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    String k = key.apply(element);
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        k == null ? null : k.getBytes(StandardCharsets.UTF_8),
        value.apply(element));
  }
}
