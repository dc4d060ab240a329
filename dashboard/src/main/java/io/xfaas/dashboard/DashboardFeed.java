package io.xfaas.dashboard;

import io.xfaas.config.Topics;
import io.xfaas.kafka.TopicTail;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a region's metrics topic ({@link SchedulingMetrics}) and outcomes topic into a {@link
 * DashboardModel}, as a {@link TopicTail} reads them.
 */
public final class DashboardFeed implements AutoCloseable {
  private final Topics topics;
  private final DashboardModel model;
  private final TopicTail tail;

  public DashboardFeed(String bootstrapServers, Topics topics, DashboardModel model) {
    this.topics = topics;
    this.model = model;
    this.tail =
        new TopicTail(
            "dashboard-feed",
            bootstrapServers,
            List.of(topics.metrics(), topics.outcomes()),
            this::feed);
  }

  public DashboardFeed start() {
    tail.start();
    return this;
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
    tail.close();
  }
}
