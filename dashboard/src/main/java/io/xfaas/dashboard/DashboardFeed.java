package io.xfaas.dashboard;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.TopicTail;
import io.xfaas.records.GtcDecision;
import io.xfaas.records.LoadReport;
import io.xfaas.records.SchedulingMetrics;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a region's metrics topic ({@link SchedulingMetrics}) and outcomes topic, and the global
 * load topic ({@link LoadReport}, every region) and GTC decisions topic ({@link GtcDecision}), into
 * a {@link DashboardModel}, as a {@link TopicTail} reads them.
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
        List.of(topics.metrics(), topics.outcomes(), topics.load(), topics.gtcDecisions()),
        r -> feed(topics, model, r));
  }

  private static void feed(Topics topics, DashboardModel model, ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) return;
    try {
      if (r.topic().equals(topics.metrics())) {
        model.metrics(Json.MAPPER.readValue(r.value(), SchedulingMetrics.class));
      } else if (r.topic().equals(topics.load())) {
        model.load(Json.MAPPER.readValue(r.value(), LoadReport.class));
      } else if (r.topic().equals(topics.gtcDecisions())) {
        model.gtc(Json.MAPPER.readValue(r.value(), GtcDecision.class));
      } else {
        model.outcome(Json.readOutcome(r.value()));
      }
    } catch (IOException | RuntimeException e) {
      model.unreadable();
    }
  }
}
