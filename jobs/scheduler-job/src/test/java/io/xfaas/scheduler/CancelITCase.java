package io.xfaas.scheduler;

import static io.xfaas.scheduler.OutcomeAssertions.assertOneOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
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
 * A {@code {"kind":"cancel"}} record through the real path: written to DurableQ, parsed by the job,
 * honoured by the FuncBuffer for a call that waits for its {@code notBefore}. The call ends
 * CANCELLED exactly once and never reaches RunQ; a call beside it is dispatched as usual.
 */
class CancelITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2);

  /** Far beyond the test: the call waits in the FuncBuffer until it is cancelled. */
  private static final Duration NOT_BEFORE = Duration.ofMinutes(10);

  @Test
  void aCancelRecordInDurableQCancelsAWaitingCallBeforeDispatch() throws Exception {
    XfaasConfig config = KAFKA.newRegion("cancel", Map.of());
    JobClient job =
        SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(), config);
    InvocationSerde serde = new InvocationSerde(InvocationLimits.DEFAULTS);
    try (SubmitterClient client = SubmitterClient.create(config);
        TopicReader runq = KAFKA.follow(config.topics().runq());
        TopicReader outcomes = KAFKA.follow(config.topics().outcomes())) {
      FlinkClusterExtension.awaitRunning(job);
      long now = System.currentTimeMillis();
      client.submitAllAndWait(
          List.of(
              InvocationBuilder.call("shop", "echo")
                  .id("later")
                  .notBefore(now + NOT_BEFORE.toMillis())
                  .build(),
              InvocationBuilder.call("shop", "echo").id("now").build()));

      // The job has read the submissions once the call due now is in RunQ.
      List<String> dispatched = new ArrayList<>();
      runq.followUntil(
          "the call due now in RunQ",
          Duration.ofSeconds(60),
          r -> dispatched.add(id(serde, r.value())),
          () -> dispatched.contains("now"));

      String cancel = "{\"kind\":\"cancel\",\"id\":\"later\",\"tenant\":\"shop\"}";
      KAFKA.send(config.topics().durableq(), "later", cancel.getBytes(StandardCharsets.UTF_8));

      List<Outcome> seen = new ArrayList<>();
      outcomes.followUntil(
          "an outcome for the cancelled call",
          Duration.ofSeconds(60),
          r -> seen.add(Json.readOutcome(r.value())),
          () -> seen.stream().anyMatch(o -> o.id().equals("later")));
      // A second outcome, or a late dispatch, would be committed with a later checkpoint.
      FLINK.settle(job);
      outcomes.catchUp(r -> seen.add(Json.readOutcome(r.value())));
      runq.catchUp(r -> dispatched.add(id(serde, r.value())));

      assertOneOutcome(seen, "later", OutcomeStatus.CANCELLED, ReasonCode.CANCELLED_BY_REQUEST);
      assertThat(dispatched).containsExactly("now");
    } finally {
      FlinkClusterExtension.cancel(job);
    }
  }

  private static String id(InvocationSerde serde, byte[] value) {
    Invocation inv =
        ((ParseResult.Accepted) serde.parse(value, System.currentTimeMillis())).invocation();
    return inv.id();
  }
}
