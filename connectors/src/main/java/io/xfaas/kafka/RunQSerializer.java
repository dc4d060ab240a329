package io.xfaas.kafka;

import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * RunQ records, keyed by function. With a spread of 1 Kafka's partitioner places them, so each
 * function's calls sit on one partition and reach one sidecar (warm workers, few functions per
 * sidecar). With a spread of {@code n}, a function's calls go to {@code n} consecutive partitions
 * starting at the one its key hashes to, each call's by its id: a hot function is run by up to
 * {@code n} sidecars while each sidecar still sees a slice of the functions.
 */
public final class RunQSerializer implements KafkaRecordSerializationSchema<Invocation> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final int spread;

  public RunQSerializer(String topic, int spread) {
    if (spread < 1) throw new IllegalArgumentException("spread must be at least 1: " + spread);
    this.topic = topic;
    this.spread = spread;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Invocation inv, KafkaSinkContext context, Long timestamp) {
    byte[] key = inv.function().getBytes(StandardCharsets.UTF_8);
    byte[] value = InvocationSerde.write(inv);
    if (spread == 1) return new ProducerRecord<>(topic, null, timestamp, key, value);
    int partitions = context.getPartitionsForTopic(topic).length;
    return new ProducerRecord<>(
        topic, partition(key, inv.id(), spread, partitions), timestamp, key, value);
  }

  /** The partition of a call: the function's first one (as Kafka would pick it), plus a shard. */
  static int partition(byte[] functionKey, String id, int spread, int partitions) {
    int first = Utils.toPositive(Utils.murmur2(functionKey)) % partitions;
    int shard = Math.floorMod(id.hashCode(), Math.min(spread, partitions));
    return (first + shard) % partitions;
  }
}
