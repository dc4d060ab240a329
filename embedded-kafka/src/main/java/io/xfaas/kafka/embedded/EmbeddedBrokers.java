package io.xfaas.kafka.embedded;

import java.util.Map;

/**
 * Real Kafka brokers a test or the local stack starts itself: one in this JVM ({@link
 * EmbeddedKafka}) or a cluster of broker processes ({@link EmbeddedKafkaCluster}).
 */
public interface EmbeddedBrokers extends AutoCloseable {
  /** {@code host:port,...} of the client listeners. */
  String bootstrapServers();

  /**
   * Creates the topics that do not exist yet (the brokers' default replication factor) and waits
   * until every partition has a leader.
   */
  void createTopics(Map<String, Integer> partitionsByTopic);

  /** Creates one topic with topic-level configs unless it exists; waits for its leaders. */
  void createTopic(String name, int partitions, Map<String, String> topicConfigs);

  @Override
  void close();
}
