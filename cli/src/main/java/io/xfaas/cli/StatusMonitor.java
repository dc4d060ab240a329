package io.xfaas.cli;

import io.xfaas.config.Topics;
import io.xfaas.serde.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Counts the records of a region's DurableQ, RunQ, outcomes and DLQ into {@link StatusCounts}, on
 * its own thread, with one consumer that reads every partition from the beginning. It reads
 * committed records only, as any consumer of the scheduler's transactional output does, and joins
 * no group, so it never disturbs the pipeline's own consumers.
 */
public final class StatusMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusMonitor.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final StatusCounts counts;
  private final Thread thread;
  private volatile boolean running = true;

  public StatusMonitor(String bootstrapServers, Topics topics, StatusCounts counts) {
    this.topics = topics;
    this.counts = counts;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "xfaas-status-" + UUID.randomUUID(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "xfaas-status-monitor");
    thread.setDaemon(true);
  }

  public StatusMonitor start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic :
          List.of(topics.durableq(), topics.runq(), topics.outcomes(), topics.dlq())) {
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          count(r);
        }
      }
    } catch (WakeupException e) {
      // close() woke us up: done.
    } catch (RuntimeException e) {
      if (running) LOG.error("Status monitor stopped counting", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void count(ConsumerRecord<byte[], byte[]> r) {
    String topic = r.topic();
    if (topic.equals(topics.durableq())) {
      counts.durableQRecord();
    } else if (topic.equals(topics.runq())) {
      counts.runQRecord();
    } else {
      try {
        if (topic.equals(topics.outcomes())) counts.outcome(Json.readOutcome(r.value()));
        else counts.deadLetter(Json.readDeadLetter(r.value()));
      } catch (RuntimeException e) {
        counts.unreadable();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
