package io.xfaas.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic once, from its beginning to the end it had when the read began: committed records
 * only, every partition, no consumer group. For small topics read whole, such as the compacted
 * config topic and the DLQ.
 */
public final class TopicSnapshot {
  private static final Duration POLL = Duration.ofMillis(200);

  private TopicSnapshot() {}

  /**
   * Hands every record to {@code each}; does nothing when the topic does not exist.
   *
   * @throws IllegalStateException when Kafka does not answer, or the end is not reached, within
   *     {@code timeout}
   */
  public static void read(
      String bootstrapServers,
      String topic,
      String clientName,
      Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    read(bootstrapServers, Map.of(), topic, clientName, timeout, each);
  }

  /** As above, with Kafka client settings (security) from the configuration. */
  public static void read(
      String bootstrapServers,
      Map<String, String> clientProperties,
      String topic,
      String clientName,
      Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        committedReader(bootstrapServers, clientProperties, clientName, timeout)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) return;
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : infos) partitions.add(new TopicPartition(topic, p.partition()));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end in " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          // Only what was there when the read began: a snapshot, not a tail.
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) each.accept(r);
        }
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer in " + timeout.toSeconds() + " s", e);
    }
  }

  /**
   * Waits until a {@code read_committed} reader sees every record up to {@code lastOffsets} (the
   * offsets a transaction wrote, per partition). A transaction's commit returns before its markers
   * reach the partitions, so without this wait a reader started right after may not see it yet.
   *
   * @throws IllegalStateException when the records are not visible within {@code timeout}
   */
  public static void awaitCommitted(
      String bootstrapServers,
      Map<String, String> clientProperties,
      Map<TopicPartition, Long> lastOffsets,
      String clientName,
      Duration timeout) {
    if (lastOffsets.isEmpty()) return;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        committedReader(bootstrapServers, clientProperties, clientName, timeout)) {
      while (true) {
        Map<TopicPartition, Long> stable = consumer.endOffsets(lastOffsets.keySet(), timeout);
        if (lastOffsets.entrySet().stream().allMatch(e -> stable.get(e.getKey()) > e.getValue())) {
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "committed records on "
                  + lastOffsets.keySet()
                  + " not visible in "
                  + timeout.toSeconds()
                  + " s");
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a commit to show", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer in " + timeout.toSeconds() + " s", e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> committedReader(
      String bootstrapServers,
      Map<String, String> clientProperties,
      String clientName,
      Duration timeout) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "xfaas-" + clientName + "-" + UUID.randomUUID());
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }
}
