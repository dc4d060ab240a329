package io.xfaas.scheduler;

import static io.xfaas.scheduler.OutcomeAssertions.assertOneOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import io.xfaas.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call written as Kafka's console producer writes it, without {@code submittedAt}, whose deadline
 * has already passed: it arrived late, which is not bad input. It gets one EXPIRED outcome and no
 * dead letter; a call that gives its own {@code submittedAt} after its deadline is bad input.
 */
class LateArrivalITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  @Test
  void aPastDeadlineWithoutSubmittedAtExpiresWithoutADeadLetter() throws Exception {
    XfaasConfig config = KAFKA.newRegion("late", Map.of());
    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    try (TopicReader outcomes = KAFKA.follow(config.topics().outcomes());
        TopicReader dlq = KAFKA.follow(config.topics().dlq())) {
      FlinkClusterExtension.awaitRunning(job);
      long past = System.currentTimeMillis() - 60_000;
      send(
          config,
          "late",
          "{\"id\":\"late\",\"tenant\":\"t\",\"function\":\"echo\",\"deadline\":" + past + "}");
      send(
          config,
          "bad",
          "{\"id\":\"bad\",\"tenant\":\"t\",\"function\":\"echo\",\"submittedAt\":"
              + (past + 1000)
              + ",\"deadline\":"
              + past
              + "}");

      List<Outcome> seen = new ArrayList<>();
      outcomes.followUntil(
          "outcomes of both calls",
          Duration.ofSeconds(60),
          r -> seen.add(Json.readOutcome(r.value())),
          () -> seen.stream().map(Outcome::id).distinct().count() == 2);
      // A second outcome or a dead letter for the late call would be committed by a later
      // checkpoint.
      FLINK.settle(job);
      outcomes.catchUp(r -> seen.add(Json.readOutcome(r.value())));
      List<String> deadLetters = new ArrayList<>();
      dlq.catchUp(r -> deadLetters.add(idOf(r.value())));

      assertOneOutcome(seen, "late", OutcomeStatus.EXPIRED, ReasonCode.DEADLINE_EXCEEDED);
      assertOneOutcome(seen, "bad", OutcomeStatus.REJECTED, ReasonCode.INVALID_TIMESTAMP);
      assertThat(deadLetters).containsExactly("bad");
    } finally {
      FlinkClusterExtension.cancel(job);
    }
  }

  private static String idOf(byte[] deadLetter) {
    try {
      return Json.MAPPER.readTree(deadLetter).path("id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A plain producer record: no submitter client, so nothing fills in {@code submittedAt}. */
  private static void send(XfaasConfig config, String id, String json) throws Exception {
    KAFKA.send(config.topics().durableq(), id, json.getBytes(StandardCharsets.UTF_8));
  }
}
