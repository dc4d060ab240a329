package io.xfaas.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the command-line clients of small compacted topics (tenant config, DLQ redrive audit) share:
 * an acknowledged, idempotent producer's settings and creating their topic when it is missing.
 */
public final class SmallTopicClients {
  /** How long a command-line client waits for any one read or write. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SmallTopicClients() {}

  /**
   * Producer settings: {@code acks=all}, idempotent, no linger, every wait bounded by {@code
   * timeout}, a client id {@code <clientName>-<random>}.
   */
  public static Map<String, Object> ackedProducer(
      String bootstrapServers, Duration timeout, String clientName) {
    return ackedProducer(bootstrapServers, Map.of(), timeout, clientName);
  }

  /**
   * As above, with Kafka client settings (security) from {@code
   * xfaas.kafka.client-properties-file}.
   */
  public static Map<String, Object> ackedProducer(
      String bootstrapServers,
      Map<String, String> clientProperties,
      Duration timeout,
      String clientName) {
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
   * @throws IllegalStateException when Kafka does not answer in {@code timeout} or refuses
   */
  public static void ensureCompactedTopic(String bootstrapServers, String topic, Duration timeout) {
    ensureCompactedTopic(bootstrapServers, Map.of(), topic, timeout);
  }

  /** As above, with Kafka client settings (security). */
  public static void ensureCompactedTopic(
      String bootstrapServers,
      Map<String, String> clientProperties,
      String topic,
      Duration timeout) {
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
}
