package io.xfaas.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.xfaas.testing.EmbeddedKafkaExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker itself. It lives here, beside the extension that starts it for every other test (this
 * module depends on {@code embedded-kafka}, so the test cannot stay there). The tests of its own
 * lifecycle (restart, close, format features) start a broker of their own on purpose.
 */
class EmbeddedKafkaITCase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Shared by the tests that do not stop the broker: a start costs seconds. */
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void startsOnAFreePortAndCreatesPlainAndCompactedTopics() throws Exception {
    assertThat(KAFKA.broker().bootstrapServers()).matches("localhost:\\d+");
    assertThat(KAFKA.broker().bootstrapServers()).isNotEqualTo("localhost:0");

    KAFKA.broker().createTopics(Map.of("plain", 3));
    KAFKA.broker().createTopic("compacted", 2, Map.of("cleanup.policy", "compact"));

    try (Admin admin = admin(KAFKA.broker())) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(List.of("plain", "compacted"))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      assertThat(topics.get("plain").partitions()).hasSize(3);
      assertThat(topics.get("compacted").partitions()).hasSize(2);

      ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
      Config config = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void creatingTopicsTwiceIsFine() throws Exception {
    KAFKA.broker().createTopics(Map.of("twice-a", 2, "twice-b", 1));
    KAFKA.broker().createTopics(Map.of("twice-a", 2, "twice-b", 1, "twice-c", 4));
    KAFKA.broker().createTopic("twice-compacted", 1, Map.of("cleanup.policy", "compact"));
    KAFKA.broker().createTopic("twice-compacted", 1, Map.of("cleanup.policy", "compact"));

    try (Admin admin = admin(KAFKA.broker())) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(List.of("twice-a", "twice-b", "twice-c", "twice-compacted"))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      assertThat(topics.get("twice-a").partitions()).hasSize(2);
      assertThat(topics.get("twice-b").partitions()).hasSize(1);
      assertThat(topics.get("twice-c").partitions()).hasSize(4);
      assertThat(topics.get("twice-compacted").partitions()).hasSize(1);
    }
  }

  @Test
  void readCommittedSeesCommittedTransactionsOnly() {
    KAFKA.broker().createTopics(Map.of("tx", 2));

    try (KafkaProducer<String, String> producer = transactionalProducer(KAFKA.broker(), "tx-1")) {
      producer.initTransactions();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "k1", "committed-1"));
      producer.send(new ProducerRecord<>("tx", "k2", "committed-2"));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "k3", "aborted-1"));
      producer.send(new ProducerRecord<>("tx", "k4", "aborted-2"));
      producer.flush(); // the aborted records really reach the log
      producer.abortTransaction();

      // A last committed record on each partition: once the consumer has it, everything before
      // it was delivered or skipped, so what was read is complete.
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", 0, "end", "end-0"));
      producer.send(new ProducerRecord<>("tx", 1, "end", "end-1"));
      producer.commitTransaction();
    }

    List<String> values = readUntil(KAFKA.broker(), "tx", List.of("end-0", "end-1"));
    assertThat(values).containsExactlyInAnyOrder("committed-1", "committed-2", "end-0", "end-1");
  }

  @Test
  void rejectsUnknownTopicsInsteadOfCreatingThem() throws Exception {
    try (Admin admin = admin(KAFKA.broker())) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("nope");
    }
    Properties p = producerProps(KAFKA.broker());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("nope", "v")).get())
          .hasStackTraceContaining("not present in metadata");
    }
  }

  @Test
  void restartKeepsDataPortsAndCommittedOffsets(@TempDir Path dir) throws Exception {
    Path logDir = dir.resolve("kafka-data");
    int port = freePort();
    try (EmbeddedKafka k = EmbeddedKafka.builder().port(port).logDir(logDir).build().start()) {
      assertThat(k.bootstrapServers()).isEqualTo("localhost:" + port);
      assertThat(k.logDir()).isEqualTo(logDir.toAbsolutePath());
      k.createTopic("durable", 1, Map.of("cleanup.policy", "compact"));

      try (KafkaProducer<String, String> producer = transactionalProducer(k, "durable-1")) {
        producer.initTransactions();
        producer.beginTransaction();
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("durable", "k" + i, "v" + i));
        }
        producer.commitTransaction();
      }
      // A group consumes the first two records and commits that position.
      try (KafkaConsumer<String, String> consumer = consumer(k, "g1")) {
        TopicPartition tp = new TopicPartition("durable", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        await().atMost(WAIT).until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(2)));
      }

      String before = k.bootstrapServers();
      k.restart();
      assertThat(k.bootstrapServers()).isEqualTo(before);

      // Everything committed before the restart is still there.
      assertThat(readUntil(k, "durable", List.of("v4")))
          .containsExactly("v0", "v1", "v2", "v3", "v4");
      // So is the group's committed offset.
      try (KafkaConsumer<String, String> consumer = consumer(k, "g1")) {
        TopicPartition tp = new TopicPartition("durable", 0);
        Map<TopicPartition, OffsetAndMetadata> committed =
            consumer.committed(Set.of(tp), Duration.ofSeconds(30));
        assertThat(committed.get(tp).offset()).isEqualTo(2);
      }
      // createTopic after a restart finds the existing topic and keeps it.
      k.createTopic("durable", 1, Map.of("cleanup.policy", "compact"));

      // And the restarted broker takes new transactions.
      try (KafkaProducer<String, String> producer = transactionalProducer(k, "durable-1")) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("durable", "k5", "v5"));
        producer.commitTransaction();
      }
      assertThat(readUntil(k, "durable", List.of("v5")))
          .containsExactly("v0", "v1", "v2", "v3", "v4", "v5");

      // stop() + start() behaves like restart().
      k.stop();
      k.start();
      assertThat(readUntil(k, "durable", List.of("v5"))).hasSize(6);
    }
    // A log dir that the caller gave is theirs: close() keeps it.
    assertThat(logDir.resolve("meta.properties")).exists();
  }

  @Test
  void closeDeletesTheTempLogDirItCreated() {
    Path logDir;
    try (EmbeddedKafka k = EmbeddedKafka.builder().build().start()) {
      logDir = k.logDir();
      assertThat(logDir).startsWith(Path.of(System.getProperty("java.io.tmpdir")));
      assertThat(logDir.resolve("meta.properties")).exists();
      k.stop();
      // stop() keeps the data, close() removes it.
      assertThat(logDir).exists();
    }
    assertThat(Files.exists(logDir)).isFalse();
  }

  @Test
  void formatsWithTheRequestedFeatureLevels() throws Exception {
    try (EmbeddedKafka k =
        EmbeddedKafka.builder().feature("transaction.version", 1).build().start()) {
      try (Admin admin = admin(k)) {
        FeatureMetadata features =
            admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
        assertThat(features.finalizedFeatures().get("transaction.version").maxVersionLevel())
            .isEqualTo((short) 1);
      }
    }
  }

  private static List<String> readUntil(EmbeddedKafka k, String topic, Collection<String> last) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(k, null)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r.value());
                }
                return values.containsAll(last);
              });
    }
    return values;
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka k, String txId) {
    Properties p = producerProps(k);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId + "-" + UUID.randomUUID());
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    return new KafkaProducer<>(p);
  }

  private static Properties producerProps(EmbeddedKafka k) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  private static KafkaConsumer<String, String> consumer(EmbeddedKafka k, String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return new KafkaConsumer<>(p);
  }

  private static Admin admin(EmbeddedKafka k) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
