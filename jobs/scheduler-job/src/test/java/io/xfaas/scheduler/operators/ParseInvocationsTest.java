package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.kafka.RawRecord;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationSerde;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseInvocationsTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final AtomicLong CLOCK = new AtomicLong(NOW);

  private static RawRecord record(long offset, String json) {
    return new RawRecord("dq", 0, offset, NOW, null, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void routesInvocationsOutcomesAndDeadLettersToTheirOutputs() throws Exception {
    var fn =
        new ParseInvocations(
            new Admission(new InvocationSerde(InvocationLimits.DEFAULTS), "local"), CLOCK::get);
    try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
      harness.open();
      harness.processElement(
          record(0, "{\"id\":\"ok\",\"tenant\":\"t\",\"function\":\"echo\"}"), NOW);
      harness.processElement(record(1, "garbage"), NOW);
      harness.processElement(record(2, "{\"id\":\"nt\",\"function\":\"echo\"}"), NOW);
      harness.processElement(
          record(
              3,
              "{\"id\":\"late\",\"tenant\":\"t\",\"function\":\"echo\",\"submittedAt\":1,\"deadline\":2}"),
          NOW);

      assertThat(harness.extractOutputValues())
          .extracting(e -> e.invocation().id())
          .containsExactly("ok");
      assertThat(harness.getSideOutput(ParseInvocations.DEAD_LETTERS))
          .extracting(r -> r.getValue().reason())
          .containsExactly(ReasonCode.MALFORMED_JSON, ReasonCode.MISSING_FIELD);
      assertThat(harness.getSideOutput(ParseInvocations.OUTCOMES))
          .extracting(r -> r.getValue().outcome())
          .extracting(o -> o.id() + ":" + o.status())
          .containsExactly("nt:" + OutcomeStatus.REJECTED, "late:" + OutcomeStatus.EXPIRED);
    }
  }
}
