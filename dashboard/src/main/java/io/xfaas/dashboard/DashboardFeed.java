package io.xfaas.dashboard;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
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
public final class DashboardFeed {
  private DashboardFeed() {}

  /**
   * The tail that feeds {@code model} from {@code config}'s region, not started yet; closing it
   * stops the feed.
   */
  public static TopicTail follow(XfaasConfig config, DashboardModel model) {
    Topics topics = config.topics();
    return new TopicTail(
        "dashboard-feed",
        config,
        List.of(topics.metrics(), topics.outcomes()),
        r -> feed(topics, model, r));
  }

  private static void feed(Topics topics, DashboardModel model, ConsumerRecord<byte[], byte[]> r) {
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
}
