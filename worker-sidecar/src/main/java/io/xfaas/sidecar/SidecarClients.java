package io.xfaas.sidecar;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of one sidecar, configured for at-least-once processing of RunQ, with the
 * client settings of {@code xfaas.kafka.client-properties-file} (authentication) under them.
 */
final class SidecarClients {
  private SidecarClients() {}

  static KafkaConsumer<byte[], byte[]> consumer(SidecarSettings s, String clientId) {
    return new KafkaConsumer<>(consumerConfig(s, clientId));
  }

  static KafkaProducer<byte[], byte[]> producer(SidecarSettings s, String clientId) {
    return new KafkaProducer<>(producerConfig(s, clientId));
  }

  static Map<String, Object> consumerConfig(SidecarSettings s, String clientId) {
    Map<String, Object> c = new HashMap<>(s.kafkaClient());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    // RunQ may be written in transactions (xfaas.scheduler.runq-delivery=exactly-once): never run
    // a call from an aborted one. Written at least once, every record is visible at once.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Offsets are committed by hand, once every record before them has its outputs acknowledged.
    // Kafka's max.poll.interval.ms stays: the poll loop never waits for calls, only for a drain.
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, s.maxPollRecords());
    // Fewer, fuller fetches under load; measured in SidecarOverheadBenchmark.
    c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, s.tuning().fetchMinBytes());
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, s.tuning().fetchMaxWaitMs());
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, s.tuning().maxPartitionFetchBytes());
    // How fast a crashed sidecar's partitions move on. Heartbeats at Kafka's 3 s, or a third of a
    // shorter session: a sidecar learns of a rebalance at its next heartbeat, and at a third of
    // the 45 s default a new sidecar waited 15 s for its partitions.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) s.sessionTimeout().toMillis());
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatMs(s.sessionTimeout().toMillis()));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  /** Kafka's default heartbeat (3 s), shortened to a third of a session shorter than 9 s. */
  static int heartbeatMs(long sessionTimeoutMs) {
    return (int) Math.max(1, Math.min(3_000, sessionTimeoutMs / 3));
  }

  static Map<String, Object> producerConfig(SidecarSettings s, String clientId) {
    Map<String, Object> p = new HashMap<>(s.kafkaClient());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // An outcome counts as written only once every in-sync replica has it.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Internal send retries must not duplicate or reorder outcomes.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Outputs of many calls leave together: lingering fills Kafka batches, so that the results of
    // a poll leave in a few produce requests; measured in SidecarOverheadBenchmark.
    p.put(ProducerConfig.LINGER_MS_CONFIG, s.tuning().producerLingerMs());
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, s.tuning().producerBatchBytes());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.tuning().producerCompression());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }
}
