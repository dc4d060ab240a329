package io.xfaas.kafka;

import io.xfaas.config.XfaasConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the command-line clients of small compacted topics (tenant config, DLQ redrive audit) share:
 * the Kafka they talk to, how long they wait for any one read or write, an acknowledged, idempotent
 * producer's settings, creating their topic when it is missing, and reading a topic whole.
 *
 * @param clientProperties Kafka client settings (security) from {@code
 *     xfaas.kafka.client-properties-file}
 */
public record SmallTopicClients(
    String bootstrapServers, Map<String, String> clientProperties, Duration timeout) {
  /** How long a command-line client waits for any one read or write. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The configured Kafka, waiting at most {@link #TIMEOUT}. */
  public static SmallTopicClients of(XfaasConfig config) {
    return new SmallTopicClients(
        config.bootstrapServers(), config.kafkaClientProperties(), TIMEOUT);
  }

  /**
   * Producer settings: {@code acks=all}, idempotent, no linger, every wait bounded by {@link
   * #timeout}, a client id {@code <clientName>-<random>}.
   */
  public Map<String, Object> ackedProducer(String clientName) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientName + "-" + UUID.randomUUID());
    return props;
  }

  /**
   * Creates {@code topic}, compacted with one partition, when it does not exist (the broker may not
   * auto-create).
   *
   * @throws IllegalStateException when Kafka does not answer in {@link #timeout} or refuses
   */
  public void ensureCompactedTopic(String topic) {
    Map<String, Object> conf = new HashMap<>(clientProperties);
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(conf)) {
      boolean exists =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
      if (exists) return;
      NewTopic compacted =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(Map.of("cleanup.policy", "compact"));
      try {
        admin.createTopics(List.of(compacted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topic " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot find or create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer in " + timeout.toSeconds() + " s", e);
    }
  }

  /**
   * Reads {@code topic} from its beginning to its current end ({@link TopicSnapshot}); nothing when
   * it is missing.
   */
  public void readAll(
      String topic, String clientName, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    TopicSnapshot.read(bootstrapServers, clientProperties, topic, clientName, timeout, each);
  }

  /** Waits until a transaction's records up to {@code lastOffsets} are visible to readers. */
  public void awaitCommitted(Map<TopicPartition, Long> lastOffsets, String clientName) {
    TopicSnapshot.awaitCommitted(
        bootstrapServers, clientProperties, lastOffsets, clientName, timeout);
  }
}
