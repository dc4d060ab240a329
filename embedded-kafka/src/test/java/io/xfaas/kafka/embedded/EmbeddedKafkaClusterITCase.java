package io.xfaas.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Three broker processes: topics replicated three times with min.insync.replicas=2, and the leader
 * of a partition killed with SIGKILL loses nothing it acknowledged; it comes back on its log dir
 * and catches up.
 */
class EmbeddedKafkaClusterITCase {

  @Test
  void aKilledLeaderLosesNothingAcknowledgedAndCatchesUpWhenBack() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(3).build().start()) {
      assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
      kafka.createTopics(Map.of("calls", 2));
      TopicPartition p0 = new TopicPartition("calls", 0);
      assertThat(kafka.inSyncReplicas(p0)).containsExactlyInAnyOrder(1, 2, 3);
      Config brokerConfig =
          kafka
              .admin()
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
              .all()
              .get()
              .values()
              .iterator()
              .next();
      assertThat(brokerConfig.get("min.insync.replicas").value()).isEqualTo("2");
      assertThat(brokerConfig.get("unclean.leader.election.enable").value()).isEqualTo("false");

      try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < 500; i++) acks.add(send(producer, i));
        for (Future<RecordMetadata> a : acks) a.get();

        int leader = kafka.leaderOf(p0);
        long pid = kafka.pid(leader);
        kafka.kill(leader);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        await("a new leader for calls-0")
            .atMost(Duration.ofSeconds(60))
            .until(() -> kafka.leaderOf(p0) != leader && kafka.leaderOf(p0) > 0);

        acks.clear();
        for (int i = 500; i < 1000; i++) acks.add(send(producer, i));
        for (Future<RecordMetadata> a : acks) a.get();
        assertThat(kafka.inSyncReplicas(p0)).doesNotContain(leader).hasSize(2);

        kafka.start(leader);
        kafka.awaitFullyReplicated(Duration.ofMinutes(2));
        assertThat(kafka.inSyncReplicas(p0)).containsExactlyInAnyOrder(1, 2, 3);
      }
      assertThat(readAll(kafka.bootstrapServers(), "calls")).hasSize(1000);
    }
  }

  private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> p, int i) {
    return p.send(new ProducerRecord<>("calls", i % 2, null, ("call-" + i).getBytes()));
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Set<String> readAll(String bootstrap, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Set<String> seen = new java.util.HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 60_000;
      while (seen.size() < 1000 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(new String(r.value()));
        }
      }
    }
    return seen;
  }
}
