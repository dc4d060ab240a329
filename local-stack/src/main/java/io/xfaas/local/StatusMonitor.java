package io.xfaas.local;

import io.xfaas.config.Topics;
import io.xfaas.kafka.TopicTail;
import io.xfaas.serde.Json;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts the records of a region's DurableQ, RunQ, outcomes and DLQ into {@link StatusCounts}, as a
 * {@link TopicTail} reads them.
 */
public final class StatusMonitor {
  private StatusMonitor() {}

  /** The tail that counts into {@code counts}, not started yet; closing it stops the counting. */
  public static TopicTail follow(String bootstrapServers, Topics topics, StatusCounts counts) {
    return follow(bootstrapServers, Map.of(), topics, counts);
  }

  /** As {@link #follow(String, Topics, StatusCounts)}, with Kafka client settings. */
  public static TopicTail follow(
      String bootstrapServers,
      Map<String, String> clientProperties,
      Topics topics,
      StatusCounts counts) {
    return new TopicTail(
        "status-monitor",
        bootstrapServers,
        clientProperties,
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
