package io.xfaas.local;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.TopicTail;
import io.xfaas.serde.Json;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the records of a region's DurableQ, RunQ, outcomes and DLQ into {@link StatusCounts}, as a
 * {@link TopicTail} reads them.
 */
public final class StatusMonitor {
  private StatusMonitor() {}

  /**
   * The tail that counts {@code config}'s region into {@code counts}, not started yet; closing it
   * stops the counting.
   */
  public static TopicTail follow(XfaasConfig config, StatusCounts counts) {
    Topics topics = config.topics();
    return new TopicTail(
        "status-monitor",
        config,
        List.of(topics.durableq(), topics.runq(), topics.outcomes(), topics.dlq()),
        r -> count(topics, counts, r));
  }

  private static void count(Topics topics, StatusCounts counts, ConsumerRecord<byte[], byte[]> r) {
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
}
