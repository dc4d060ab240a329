package io.xfaas.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What the single broker ({@link EmbeddedKafka}) and the cluster of broker processes ({@link
 * EmbeddedKafkaCluster}) share in starting and serving: their admin client, creating topics and
 * waiting for their leaders, polling until a condition holds, and picking free ports.
 */
final class BrokerAdmin {
  /** How long one admin call may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private BrokerAdmin() {}

  /** An admin client with short reconnect backoffs: brokers come and go in tests. */
  static Admin create(
      String bootstrapServers, String clientId, Map<String, Object> clientProperties) {
    Map<String, Object> conf = new HashMap<>();
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    conf.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    conf.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    conf.putAll(clientProperties);
    return Admin.create(conf);
  }

  /**
   * Creates the topics that do not exist yet and waits until every partition has a leader. Existing
   * topics are left as they are.
   */
  static void createTopics(Admin a, List<NewTopic> topics) {
    if (topics.isEmpty()) {
      return;
    }
    CreateTopicsResult result = a.createTopics(topics);
    for (NewTopic topic : topics) {
      try {
        result.values().get(topic.name()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Could not create topic " + topic.name(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("Timed out creating topic " + topic.name(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted creating topic " + topic.name(), e);
      }
    }
    // The controller has committed the topics; wait until the brokers serve them, so that the
    // first produce or fetch does not race the metadata propagation.
    List<String> names = topics.stream().map(NewTopic::name).toList();
    awaitCondition(
        "leaders for " + names,
        TIMEOUT,
        () -> {
          Map<String, TopicDescription> d =
              a.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
          return names.stream()
              .allMatch(
                  n ->
                      d.containsKey(n)
                          && d.get(n).partitions().stream()
                              .map(TopicPartitionInfo::leader)
                              .allMatch(l -> l != null && !l.isEmpty()));
        });
  }

  /** A condition polled by {@link #awaitCondition}. */
  @FunctionalInterface
  interface Check {
    /**
     * Whether the condition holds. Any exception but an {@link IllegalStateException} means "not
     * yet"; an {@link IllegalStateException} means it never will (a broker process died).
     */
    boolean test() throws Exception;
  }

  /** Polls {@code check} until it holds, backing off from 20 ms to 200 ms between polls. */
  static void awaitCondition(String what, Duration timeout, Check check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    long backoffMs = 20;
    while (true) {
      try {
        if (check.test()) {
          return;
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + what, e);
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Timed out after " + timeout + " waiting for " + what, last);
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + what, e);
      }
      backoffMs = Math.min(backoffMs * 2, 200);
    }
  }

  /** A port on the loopback address that nothing listens on now. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port", e);
    }
  }
}
