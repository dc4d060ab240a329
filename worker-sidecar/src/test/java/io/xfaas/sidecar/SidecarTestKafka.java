package io.xfaas.sidecar;

import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An embedded broker with a fresh set of region topics per test, and the reads and writes the
 * sidecar integration tests share.
 */
final class SidecarTestKafka implements AutoCloseable {
  final EmbeddedKafka kafka;
  final Admin admin;

  SidecarTestKafka() {
    kafka = EmbeddedKafka.builder().port(0).build().start();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  /** A fresh prefix: topics, group and the configuration of sidecars on them. */
  Fixture fixture(int runqPartitions) {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> c = new HashMap<>();
    c.put("xfaas.region", "it");
    c.put("xfaas.kafka.bootstrap-servers", kafka.bootstrapServers());
    for (String t : List.of("durableq", "runq", "results", "dlq", "feedback")) {
      c.put("xfaas.topics." + t, prefix + "." + t);
    }
    c.put("xfaas.sidecar.group-id", prefix + ".workers");
    Fixture f = new Fixture(XfaasConfig.of(c), runqPartitions);
    Topics t = f.config().topics();
    Map<String, Integer> topics =
        Map.of(
            t.runq(), runqPartitions,
            t.durableq(), runqPartitions,
            t.results(), runqPartitions,
            t.dlq(), 1,
            t.feedback(), 1);
    kafka.createTopics(topics);
    awaitServed(topics);
    return f;
  }

  /**
   * Waits until the broker answers for every partition as its leader. A first write that races the
   * metadata of a new partition can leave an idempotent producer stuck on a sequence error until
   * its delivery timeout; a list-offsets request is answered only by a leader that is ready.
   */
  private void awaitServed(Map<String, Integer> topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topics.forEach(
        (topic, n) -> {
          for (int p = 0; p < n; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        });
    await("the new partitions to be served")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> admin.listOffsets(latest).all().get().size() == latest.size());
  }

  @Override
  public void close() {
    admin.close();
    kafka.close();
  }

  static Invocation invocation(String id, String function, String payload) {
    long now = System.currentTimeMillis();
    return new Invocation(
        id,
        "tenant-1",
        function,
        Criticality.NORMAL,
        0,
        now - 100,
        null,
        null,
        1,
        3,
        payload,
        Map.of(),
        now,
        Map.of());
  }

  /** The topics, group and configuration of one test. */
  final class Fixture {
    private final XfaasConfig config;
    private final int partitions;

    Fixture(XfaasConfig config, int partitions) {
      this.config = config;
      this.partitions = partitions;
    }

    XfaasConfig config() {
      return config;
    }

    XfaasConfig config(Map<String, String> overrides) {
      return config.with(overrides);
    }

    Topics topics() {
      return config.topics();
    }

    /** Writes calls to RunQ; {@code partition} chooses each call's partition. */
    void writeRunQ(List<Invocation> calls, java.util.function.ToIntFunction<Invocation> partition)
        throws Exception {
      Map<String, Object> conf = new HashMap<>();
      conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      conf.put(ProducerConfig.ACKS_CONFIG, "all");
      conf.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      // Test input, written once: plain ordered retries, no idempotence sequence to get stuck on.
      conf.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
      conf.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      conf.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      conf.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(conf)) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Invocation inv : calls) {
          acks.add(
              producer.send(
                  new ProducerRecord<>(
                      topics().runq(),
                      partition.applyAsInt(inv),
                      inv.function().getBytes(StandardCharsets.UTF_8),
                      InvocationSerde.write(inv))));
        }
        for (Future<RecordMetadata> ack : acks) ack.get();
      }
    }

    /** Waits until the group's committed offsets are RunQ's end offsets on every partition. */
    void awaitGroupAtEndOfRunQ(Duration atMost) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topics().runq(), p), OffsetSpec.latest());
      }
      String group = config.get(io.xfaas.config.XfaasOptions.SIDECAR_GROUP_ID);
      await("the group's offsets to reach the end of RunQ")
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Map<TopicPartition, Long> end = new HashMap<>();
                admin
                    .listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> end.put(tp, info.offset()));
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream()
                    .allMatch(
                        e ->
                            committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() == e.getValue());
              });
    }

    /** Every committed record of a topic, read from the beginning to its current end. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
      Map<String, Object> conf =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              kafka.bootstrapServers(),
              ConsumerConfig.ISOLATION_LEVEL_CONFIG,
              "read_committed",
              ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
              5000,
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
              ByteArrayDeserializer.class,
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
              ByteArrayDeserializer.class);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(conf)) {
        List<TopicPartition> tps =
            consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        await("reading " + topic + " to its end")
            .atMost(Duration.ofSeconds(30))
            .pollInSameThread()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(100)).forEach(out::add);
                  return tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                });
        return out;
      }
    }
  }
}
