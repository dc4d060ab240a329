package io.xfaas.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaExtensionITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void aNewRegionHasItsOwnTopicsWithTheirPartitionsAndACompactedConfigTopic() throws Exception {
    XfaasConfig a = KAFKA.newRegion("r", 3, Map.of());
    XfaasConfig b = KAFKA.newRegion("r", Map.of());

    assertThat(a.region()).isNotEqualTo(b.region());
    assertThat(a.topics().config()).isNotEqualTo(b.topics().config());
    Map<String, TopicDescription> d =
        KAFKA
            .admin()
            .describeTopics(List.of(a.topics().runq(), a.topics().dlq(), b.topics().runq()))
            .allTopicNames()
            .get();
    assertThat(d.get(a.topics().runq()).partitions()).hasSize(3);
    assertThat(d.get(a.topics().dlq()).partitions()).hasSize(1);
    assertThat(d.get(b.topics().runq()).partitions())
        .hasSize(EmbeddedKafkaExtension.REGION_PARTITIONS);
    ConfigResource config = new ConfigResource(ConfigResource.Type.TOPIC, a.topics().config());
    assertThat(
            KAFKA
                .admin()
                .describeConfigs(List.of(config))
                .all()
                .get()
                .get(config)
                .get("cleanup.policy")
                .value())
        .isEqualTo("compact");
  }

  @Test
  void readersSeeCommittedRecordsOnlyAndFollowTheTopic() throws Exception {
    XfaasConfig r = KAFKA.newRegion("read", 2, Map.of());
    String topic = r.topics().runq();
    KAFKA.send(topic, "k1", bytes("one"));
    try (KafkaProducer<byte[], byte[]> tx =
            KAFKA.producer(
                Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "tx-" + r.region(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    5));
        TopicReader follower = KAFKA.follow(topic)) {
      tx.initTransactions();
      tx.beginTransaction();
      tx.send(new ProducerRecord<>(topic, bytes("k2"), bytes("aborted")));
      tx.flush();
      tx.abortTransaction();

      // The abort marker is written after abortTransaction returns: follow until it is read.
      List<String> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                follower.poll(rec -> seen.add(text(rec)));
                return follower.atEnd() && KAFKA.endOffsetSum(topic) == 3;
              });
      assertThat(seen).containsExactly("one");

      KAFKA.send(topic, "k3", bytes("two"));
      follower.catchUp(rec -> seen.add(text(rec)));
      assertThat(seen).containsExactly("one", "two");
    }
    // one, the aborted record and its abort marker, two
    assertThat(KAFKA.endOffsetSum(topic)).isEqualTo(4);
    assertThat(KAFKA.readAll(topic))
        .extracting(EmbeddedKafkaExtensionITCase::text)
        .containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void settingsGoToTheConfigTopicInOrder() throws Exception {
    XfaasConfig r = KAFKA.newRegion("settings", Map.of());
    TenantSettings t1 = new TenantSettings("t1", 10, 1, 100, 1, 100, List.of(), null, 0);
    TenantSettings t2 = new TenantSettings("t2", 20, 1, 100, 1, 100, List.of(), null, 0);
    KAFKA.writeSettings(r, List.of(t1, t2));

    assertThat(KAFKA.readAll(r.topics().config()))
        .extracting(rec -> new String(rec.key(), StandardCharsets.UTF_8))
        .containsExactly(TenantSettings.configKey("t1"), TenantSettings.configKey("t2"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ConsumerRecord<byte[], byte[]> rec) {
    return new String(rec.value(), StandardCharsets.UTF_8);
  }
}
