package io.xfaas.sidecar;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients of one sidecar, configured for at-least-once processing of RunQ. */
final class SidecarClients {
  /** Time for a batch's sends and commit, beyond running its calls. */
  private static final long BATCH_OVERHEAD_MS = 60_000;

  /** Kafka's default; a longer one is used only when a batch can take longer. */
  private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  private SidecarClients() {}

  static KafkaConsumer<byte[], byte[]> consumer(SidecarSettings s, String clientId) {
    return new KafkaConsumer<>(consumerConfig(s, clientId));
  }

  static KafkaProducer<byte[], byte[]> producer(SidecarSettings s, String clientId) {
    return new KafkaProducer<>(producerConfig(s, clientId));
  }

  static Map<String, Object> consumerConfig(SidecarSettings s, String clientId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    // The scheduler writes RunQ in transactions: never run a call from an aborted one.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Offsets are committed by hand, after the batch's outputs are acknowledged.
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs(s));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  static Map<String, Object> producerConfig(SidecarSettings s, String clientId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // An outcome counts as written only once every in-sync replica has it.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Internal send retries must not duplicate or reorder outcomes.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A batch's outputs leave together; a few ms of lingering fills Kafka batches.
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }

  /**
   * Long enough for the slowest batch (every call running to its timeout, {@code threads} at a
   * time), so that a slow batch does not cost the sidecar its partitions mid-way.
   */
  static int maxPollIntervalMs(SidecarSettings s) {
    long rounds = (s.maxPollRecords() + s.threads() - 1) / s.threads();
    long slowest = rounds * s.callTimeout().toMillis() + BATCH_OVERHEAD_MS;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(DEFAULT_MAX_POLL_INTERVAL_MS, slowest));
  }
}
