package io.xfaas.kafka;

import io.xfaas.config.XfaasConfig;
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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows some topics from their beginning on its own thread and hands every record to a handler.
 * One consumer over every partition, committed records only ({@code read_committed}, as any
 * consumer of the scheduler's transactional output), and no consumer group, so it never disturbs
 * the pipeline's own consumers. For the local stack's status line and dashboard.
 */
public final class TopicTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;

  public TopicTail(
      String name,
      String bootstrapServers,
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    this(name, bootstrapServers, Map.of(), topics, handler);
  }

  /** A tail on {@code config}'s brokers, with its Kafka client settings. */
  public TopicTail(
      String name,
      XfaasConfig config,
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    this(name, config.bootstrapServers(), config.kafkaClientProperties(), topics, handler);
  }

  /**
   * A tail whose consumer also takes {@code clientProperties} (security.protocol, sasl.*, ssl.*, as
   * {@code xfaas.kafka.client-properties-file} gives them).
   */
  public TopicTail(
      String name,
      String bootstrapServers,
      Map<String, String> clientProperties,
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    this.name = name;
    this.topics = topics;
    this.handler = handler;
    Map<String, Object> conf = new HashMap<>(clientProperties);
    conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "xfaas-" + name + "-" + UUID.randomUUID());
    conf.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    this.consumer =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "xfaas-" + name);
    thread.setDaemon(true);
  }

  public TopicTail start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          handler.accept(r);
        }
      }
    } catch (WakeupException e) {
      // close() woke us up: done.
    } catch (RuntimeException e) {
      if (running) LOG.error("{} stopped reading", name, e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
