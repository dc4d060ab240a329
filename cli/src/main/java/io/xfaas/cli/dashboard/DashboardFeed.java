package io.xfaas.cli.dashboard;

import io.xfaas.config.Topics;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.Json;
import java.io.IOException;
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
 * Reads a region's metrics topic ({@link SchedulingMetrics}) and outcomes topic into a {@link
 * DashboardModel}, on its own thread, with one consumer over every partition from the beginning.
 * Committed records only ({@code read_committed}), and no consumer group, so it never disturbs the
 * pipeline.
 */
public final class DashboardFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topics topics;
  private final DashboardModel model;
  private final Thread thread;
  private volatile boolean running = true;

  public DashboardFeed(String bootstrapServers, Topics topics, DashboardModel model) {
    this.topics = topics;
    this.model = model;
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
                "xfaas-dashboard-" + UUID.randomUUID(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "xfaas-dashboard-feed");
    thread.setDaemon(true);
  }

  public DashboardFeed start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.metrics(), topics.outcomes())) {
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          feed(r);
        }
      }
    } catch (WakeupException e) {
      // close() woke us up: done.
    } catch (RuntimeException e) {
      if (running) LOG.error("Dashboard feed stopped reading", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void feed(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) return;
    try {
      if (r.topic().equals(topics.metrics())) {
        model.metrics(Json.MAPPER.readValue(r.value(), SchedulingMetrics.class));
      } else {
        model.outcome(Json.readOutcome(r.value()));
      }
    } catch (IOException | RuntimeException e) {
      model.unreadable();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
