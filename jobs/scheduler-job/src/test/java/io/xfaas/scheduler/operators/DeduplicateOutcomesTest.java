package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DeduplicateOutcomesTest {
  private static Outcome result(String id, OutcomeStatus status) {
    return new Outcome(
        id,
        "t",
        "f",
        null,
        status,
        status == OutcomeStatus.SUCCEEDED ? null : ReasonCode.TIMEOUT,
        null,
        1,
        1L,
        2L,
        3L,
        4L,
        "local",
        null);
  }

  @Test
  void onlyTheFirstTerminalResultOfAnIdGetsThrough() throws Exception {
    var op = new KeyedProcessOperator<>(new DeduplicateOutcomes(Duration.ofHours(24)));
    try (var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(op, Outcome::id, Types.STRING)) {
      harness.open();
      harness.processElement(result("a", OutcomeStatus.SUCCEEDED), 0);
      harness.processElement(result("a", OutcomeStatus.FAILED), 0);
      harness.processElement(result("b", OutcomeStatus.FAILED), 0);
      harness.processElement(result("a", OutcomeStatus.SUCCEEDED), 0);

      assertThat(harness.extractOutputValues())
          .extracting(o -> o.id() + ":" + o.status())
          .containsExactly("a:SUCCEEDED", "b:FAILED");
      assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }
  }
}
